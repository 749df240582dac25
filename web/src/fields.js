// The field a sampling run integrates, composed as the C# runtime's FieldComposition does: the network,
// autoguided by a weak model, guided between each row's class and the null class, checked finite.
import { NonFiniteValueError } from './errors.js';

const f32 = Math.fround;

/** @typedef {(t: number, x: Float32Array, classes: BigInt64Array|undefined) => Promise<Float32Array>} ConditionalField */

/**
 * v = v_weak + w (v_model - v_weak) on every row, with its class.
 * @param {ConditionalField} model @param {ConditionalField} weak @param {number} weight
 * @returns {ConditionalField}
 */
export function autoguided(model, weak, weight) {
  return async (t, x, classes) => {
    const v = await model(t, x, classes);
    const w = await weak(t, x, classes);
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = w[i] + weight * f32(v[i] - w[i]);
    return out;
  };
}

/**
 * Classifier-free guidance: v_uncond + w (v_cond - v_uncond) at the times in the interval (both halves in one
 * batch of 2n rows), the rows' own classes alone elsewhere.
 * @param {ConditionalField} inner @param {number} nullClass @param {number} guidance @param {[number, number]} [interval]
 * @returns {ConditionalField}
 */
export function guided(inner, nullClass, guidance, interval) {
  return async (t, x, classes) => {
    const w = interval === undefined || (t >= interval[0] && t <= interval[1]) ? guidance : 1;
    if (w === 1 || classes === undefined) return inner(t, x, classes);
    const n = classes.length;
    const pairedClasses = new BigInt64Array(2 * n);
    pairedClasses.set(classes);
    pairedClasses.fill(BigInt(nullClass), n);
    const pairedPoints = new Float32Array(2 * x.length);
    pairedPoints.set(x);
    pairedPoints.set(x, x.length);
    const v = await inner(t, pairedPoints, pairedClasses);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const unconditional = v[x.length + i];
      out[i] = unconditional + w * (v[i] - unconditional);
    }
    return out;
  };
}

/**
 * Stops at the first non-finite velocity instead of writing NaN samples.
 * @param {ConditionalField} inner @param {string} source
 * @returns {ConditionalField}
 */
export function finite(inner, source) {
  return async (t, x, classes) => {
    const v = await inner(t, x, classes);
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new NonFiniteValueError(source, t);
    }
    return v;
  };
}
