// Fixed-step ODE rules on a time grid, with the C# runtime's arithmetic (runtime/FlowMatching.Runtime/Integrators):
// sums in double, rounded to float32 where the C# code stores a float.
const f32 = Math.fround;

/** @typedef {(t: number, x: Float32Array) => Promise<Float32Array>} Field */

/** X_{t+h} = X_t + h b_t(X_t). */
export const euler = {
  name: 'euler',
  evaluations: 1,
  /** @param {Field} field @param {number} t @param {number} h @param {Float32Array} x */
  async advance(field, t, h, x) {
    const k1 = await field(t, x);
    for (let i = 0; i < x.length; i++) x[i] = x[i] + h * k1[i];
  },
};

/** Heun: the mean of the slopes at the start and at the Euler predictor's end. */
export const heun = {
  name: 'heun',
  evaluations: 2,
  /** @param {Field} field @param {number} t @param {number} h @param {Float32Array} x */
  async advance(field, t, h, x) {
    const k1 = await field(t, x);
    const stage = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) stage[i] = x[i] + h * k1[i];
    const k2 = await field(t + h, stage);
    for (let i = 0; i < x.length; i++) x[i] = x[i] + (h / 2) * f32(k1[i] + k2[i]);
  },
};

export const RULES = Object.freeze({ euler, heun });

/**
 * Integrates x from t = 0 to 1 in place: uniform steps t_k = k / steps (each of size 1 / steps), or the given grid.
 * @param {{advance: Function}} rule
 * @param {Field} field
 * @param {Float32Array} x
 * @param {{steps: number, grid?: number[]}} times
 * @param {(step: number, t: number) => void} [observer]
 */
export async function integrate(rule, field, x, { steps, grid }, observer) {
  const h = 1 / steps;
  const time = (k) => (grid ? grid[k] : k * h);
  for (let k = 0; k < steps; k++) {
    const t = time(k);
    const next = time(k + 1);
    await rule.advance(field, t, grid ? next - t : h, x);
    observer?.(k + 1, next);
  }
}
