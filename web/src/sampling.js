// Sampling settings completed by a model's recommendation, as the C# runtime's Recommendation.Resolve does:
// each setting left undefined takes the recommended value, each on its own.
import { ODE_METHODS } from './contract.js';
import { SettingError } from './errors.js';

/**
 * @typedef {object} SampleOptions
 * @property {number} n how many samples
 * @property {number|bigint} [seed] default 0
 * @property {number} [offset] the first sample's index, default 0
 * @property {'all'|'none'|number} [classes] class-conditional models: every class in turn, the null class, or one
 * @property {'euler'|'heun'} [method] the model's recommendation, else euler
 * @property {number} [steps] the model's recommendation, else 80
 * @property {number} [guidance] classifier-free guidance w for samples of a class; recommendation, else 1
 * @property {[number, number]} [interval] the times guided; recommendation, else [0, 1]
 * @property {{weight?: number}|false} [autoguidance] for unconditional samples; recommendation, else off
 * @property {boolean} [useRecommendation] default true
 * @property {number} [chunk] samples evaluated at once (1000 points or 100 images)
 * @property {(step: StepReport) => void} [onStep] after every step of every chunk
 */

/**
 * @typedef {object} StepReport
 * @property {number} first the chunk's first sample index
 * @property {number} count samples in the chunk
 * @property {number} step steps done
 * @property {number} steps steps in all
 * @property {number} t
 * @property {Float32Array} points the chunk's current points, in the model's units
 */

const KNOWN = new Set(['n', 'seed', 'offset', 'classes', 'method', 'steps', 'guidance', 'interval', 'autoguidance', 'useRecommendation', 'chunk', 'onStep']);

/**
 * Checks what is common to every model kind and returns the sample indices and classes.
 * @param {SampleOptions} options
 * @param {number} classCount the null class's id, 0 for unconditional models
 * @param {string} source
 */
export function checkCommon(options, classCount, source) {
  if (options === null || typeof options !== 'object') throw new SettingError('options', 'must be an object such as { n: 100, seed: 0 }');
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) throw new SettingError(name, `is not an option (options: ${[...KNOWN].join(', ')})`);
  }
  const { n, offset = 0, seed = 0, classes } = options;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1e7) throw new SettingError('n', `must be a whole number from 1 to 10000000, not ${n}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new SettingError('offset', `must be a whole number of at least 0, not ${offset}`);
  if (!(typeof seed === 'bigint' || Number.isSafeInteger(seed))) throw new SettingError('seed', `must be a whole number, not ${seed}`);
  if (options.chunk !== undefined && (!Number.isSafeInteger(options.chunk) || options.chunk < 1)) {
    throw new SettingError('chunk', `must be a whole number of at least 1, not ${options.chunk}`);
  }
  if (classes !== undefined) {
    if (classCount === 0) throw new SettingError('classes', `${source} is not a class-conditional model`);
    if (classes !== 'all' && classes !== 'none' && !(Number.isInteger(classes) && classes >= 0 && classes < classCount)) {
      throw new SettingError('classes', `${classes} is not a class of this model (0 to ${classCount - 1}, 'all' or 'none')`);
    }
  }
  return { n, offset, seed: BigInt(seed), classes };
}

/** The class of sample `index`: every class in turn, one class, or the null class. */
export function classOf(selection, index, classCount) {
  if (selection === 'all') return index % classCount;
  if (selection === 'none' || selection === undefined) return classCount;
  return selection;
}

/**
 * The settings a velocity model is sampled with.
 * @param {SampleOptions} options
 * @param {import('./contract.js').Recommendation|undefined} recommended
 * @param {boolean} conditional whether samples of a class are asked for
 */
export function resolve(options, recommended, conditional) {
  if (options.classes === 'none' && ((options.guidance !== undefined && options.guidance !== 1) || options.interval !== undefined)) {
    throw new SettingError(options.interval !== undefined && (options.guidance ?? 1) === 1 ? 'interval' : 'guidance', 'applies only to samples of a class; unconditional samples are not guided');
  }
  const useRecommendation = options.useRecommendation ?? true;
  const rec = useRecommendation ? recommended : undefined;
  let { method, steps, guidance, interval, autoguidance } = options;
  let grid;
  const adopted = [];
  if (method === undefined && rec?.method !== undefined) {
    method = rec.method;
    if (steps === undefined && rec.grid) grid = rec.grid;
    else steps ??= rec.steps;
    adopted.push('solver');
  }
  if (conditional && rec) {
    if (guidance === undefined && rec.guidance !== undefined) {
      guidance = rec.guidance;
      adopted.push('guidance');
    }
    if (interval === undefined && rec.interval) {
      interval = rec.interval;
      adopted.push('interval');
    }
  }
  let weight;
  if (autoguidance === undefined && !conditional && rec?.autoguidance !== undefined) {
    weight = rec.autoguidance;
    adopted.push('autoguidance');
  } else if (autoguidance) {
    weight = autoguidance.weight ?? rec?.autoguidance ?? 1;
    if (!rec?.weakModel) throw new SettingError('autoguidance', 'needs a weak model, and the model recommends none');
  }

  method ??= 'euler';
  if (!ODE_METHODS.includes(method)) {
    throw new SettingError('method', `${method} is not a method this package integrates (${ODE_METHODS.join(', ')})`);
  }
  if (!grid) {
    steps ??= 80;
    if (!Number.isSafeInteger(steps) || steps < 1 || steps > 100000) throw new SettingError('steps', `must be a whole number from 1 to 100000, not ${steps}`);
  }
  guidance ??= 1;
  if (typeof guidance !== 'number' || !(guidance >= 0 && guidance <= 100)) throw new SettingError('guidance', `must be between 0 and 100, not ${guidance}`);
  if (interval !== undefined && !(Array.isArray(interval) && interval.length === 2 && interval[0] >= 0 && interval[0] < interval[1] && interval[1] <= 1)) {
    throw new SettingError('interval', `must be [FROM, TO] in [0, 1] with FROM < TO, not ${JSON.stringify(interval)}`);
  }
  if (weight !== undefined && !(weight >= 0 && weight <= 100)) throw new SettingError('autoguidance', `weight must be between 0 and 100, not ${weight}`);
  return { method, steps: grid ? grid.length - 1 : steps, grid, guidance, interval, autoguidance: weight === undefined ? undefined : { weight, weakModel: rec.weakModel }, adopted };
}
