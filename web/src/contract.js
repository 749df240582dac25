// The model contract: the `flowmatching.*` metadata the C# trainer writes into each ONNX file
// (shared/FlowMatching.Shared/Contract), read from the file's bytes since ONNX Runtime's JavaScript API does not
// expose metadata_props.
import protobuf from 'protobufjs/light.js';
import { ModelContractError } from './errors.js';

// Only the fields read here; protobuf skips the rest (the graph and its weights) without decoding them.
const Model = protobuf.Root.fromJSON({
  nested: {
    Entry: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    Model: { fields: { metadata: { rule: 'repeated', type: 'Entry', id: 14 } } },
  },
}).lookupType('Model');

const PREFIX = 'flowmatching.';

/** ODE methods this package integrates, by their names in the metadata and the C# runtime. */
export const ODE_METHODS = Object.freeze(['euler', 'heun']);

/**
 * @typedef {object} Recommendation
 * @property {string|undefined} method
 * @property {number|undefined} steps
 * @property {number[]|undefined} grid stored time grid, 0 = g_0 < ... < g_K = 1
 * @property {number|undefined} guidance
 * @property {[number, number]|undefined} interval
 * @property {number|undefined} autoguidance
 * @property {string|undefined} weakModel a file name beside the model
 */

/**
 * @typedef {object} Contract
 * @property {Record<string, string>} properties every metadata entry
 * @property {'velocity'|'sampler'} kind
 * @property {string|undefined} sampler e.g. euler:4, for a sampler graph
 * @property {number[]} shape one sample's shape
 * @property {number} dimension
 * @property {string[]|undefined} classNames
 * @property {number} classes the null class's id; 0 for unconditional models
 * @property {[number, number]|undefined} range the data's pixel range
 * @property {number[]|undefined} mean standardisation of the data
 * @property {number[]|undefined} std
 * @property {string|undefined} target
 * @property {Recommendation|undefined} recommended
 */

/**
 * Reads the metadata of an ONNX file's bytes.
 * @param {Uint8Array} bytes
 * @param {string} source for messages
 * @returns {Record<string, string>}
 */
export function readMetadata(bytes, source) {
  let decoded;
  try {
    decoded = Model.decode(bytes);
  } catch (e) {
    throw new ModelContractError(source, `is not an ONNX model (${e.message})`);
  }
  return Object.fromEntries(decoded.metadata.map((entry) => [entry.key, entry.value]));
}

/**
 * The contract of a model from its metadata.
 * @param {Record<string, string>} properties
 * @param {string} source
 * @returns {Contract}
 */
export function parseContract(properties, source) {
  const bad = (key, problem) => new ModelContractError(source, `metadata ${PREFIX}${key} ${problem}`);
  const get = (key) => properties[PREFIX + key];
  if (get('format_version') === undefined) {
    throw new ModelContractError(source, 'has no flowmatching metadata (not a model written by the flowmatch trainer)');
  }
  if (get('format_version') !== '1') {
    throw bad('format_version', `is ${get('format_version')}; this package reads version 1`);
  }

  const network = get('network.kind');
  if (network === 'classifier') {
    throw new ModelContractError(source, 'is a feature classifier, not a model to sample');
  }

  const number = (key, { integer = false, min = -Infinity } = {}) => {
    const text = get(key);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
      throw bad(key, `is "${text}", not ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` of at least ${min}` : ''}`);
    }
    return value;
  };
  const numbers = (key, { count } = {}) => {
    const text = get(key);
    if (text === undefined) return undefined;
    const values = text.split(',').map((part) => Number(part));
    if (values.some((v, i) => !Number.isFinite(v) || text.split(',')[i].trim() === '') || (count && values.length !== count)) {
      throw bad(key, `is "${text}", not ${count ? count + ' ' : 'a list of '}comma-separated numbers`);
    }
    return values;
  };

  const dimension = number('dimension', { integer: true, min: 1 });
  if (dimension === undefined) throw bad('dimension', 'is missing');
  const shape = numbers('data.shape') ?? [dimension];
  if (shape.some((s) => !Number.isInteger(s) || s < 1) || shape.reduce((a, b) => a * b, 1) !== dimension) {
    throw bad('data.shape', `is "${get('data.shape')}", which does not hold ${dimension} numbers`);
  }

  let classNames;
  if (get('data.classes') !== undefined) {
    try {
      classNames = JSON.parse(get('data.classes'));
    } catch {
      classNames = undefined;
    }
    if (!Array.isArray(classNames) || classNames.length === 0 || classNames.some((c) => typeof c !== 'string')) {
      throw bad('data.classes', 'is not a JSON list of class names');
    }
  }
  const nullClass = number('data.null_class', { integer: true, min: 1 });
  if (classNames && nullClass !== undefined && nullClass !== classNames.length) {
    throw bad('data.null_class', `is ${nullClass}, but ${classNames.length} classes are named`);
  }
  const classes = nullClass ?? classNames?.length ?? 0;

  const range = numbers('data.range', { count: 2 });
  if (range && !(range[0] < range[1])) throw bad('data.range', `is "${get('data.range')}", an empty or reversed range`);
  const mean = numbers('data.mean');
  const std = numbers('data.std');
  if ((mean || std) && (mean?.length !== dimension || std?.length !== dimension || std.some((s) => !(s > 0)))) {
    throw bad('data.std', `and data.mean must each hold ${dimension} numbers, the deviations positive`);
  }

  const sampler = get('sampler');
  return {
    properties,
    kind: sampler === undefined ? 'velocity' : 'sampler',
    sampler,
    shape,
    dimension,
    classNames,
    classes,
    range,
    mean,
    std,
    target: get('target'),
    recommended: sampler === undefined ? parseRecommendation(get, number, numbers, bad) : undefined,
  };
}

function parseRecommendation(get, number, numbers, bad) {
  const method = get('recommended.method');
  const grid = numbers('recommended.time_grid');
  const interval = numbers('recommended.guidance_interval', { count: 2 });
  const recommendation = {
    method,
    steps: number('recommended.steps', { integer: true, min: 1 }),
    grid,
    guidance: number('recommended.guidance', { min: 0 }),
    interval,
    autoguidance: number('recommended.autoguidance', { min: 0 }),
    weakModel: get('recommended.weak_model'),
  };
  if (Object.values(recommendation).every((v) => v === undefined)) return undefined;
  if (method === undefined) throw bad('recommended.method', 'is missing, but other recommended settings are stored: a recommendation names its method');
  if (grid && (grid[0] !== 0 || grid[grid.length - 1] !== 1 || grid.some((g, i) => i > 0 && !(g > grid[i - 1])))) {
    throw bad('recommended.time_grid', 'must rise from 0 to 1');
  }
  if (interval && !(interval[0] >= 0 && interval[0] < interval[1] && interval[1] <= 1)) {
    throw bad('recommended.guidance_interval', 'must lie in [0, 1] with FROM < TO');
  }
  if (recommendation.autoguidance !== undefined && recommendation.weakModel === undefined) {
    throw bad('recommended.autoguidance', 'comes without recommended.weak_model');
  }
  return recommendation;
}
