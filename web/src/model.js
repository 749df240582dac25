// The two kinds of model file this project writes, each sampled its own way: a velocity field integrated step by
// step, or a whole sampler unrolled into one graph. The sample loop (noise keyed by seed and index, classes by
// index, chunk by chunk) is the C# runtime's Sampler, so any chunking gives the same rows.
import { parseContract, readMetadata } from './contract.js';
import { ModelContractError, NonFiniteValueError, SettingError } from './errors.js';
import { autoguided, finite, guided } from './fields.js';
import { RULES, integrate } from './integrators.js';
import { standardNormal } from './counter-random.js';
import { checkCommon, classOf, resolve } from './sampling.js';

/**
 * What the entry points (Node.js, the browser) supply: ONNX Runtime and a way to read a file beside the model.
 * @typedef {object} Host
 * @property {typeof import('onnxruntime-common')} ort
 * @property {(name: string, beside: string) => Promise<Uint8Array>} readBeside
 * @property {object} [sessionOptions]
 */

/**
 * Opens a model file's bytes and returns its kind: a VelocityModel or a SamplerGraphModel.
 * @param {Uint8Array} bytes
 * @param {string} source the file's path or URL, for messages and for finding a weak model beside it
 * @param {Host} host
 */
export async function openModel(bytes, source, host) {
  const contract = parseContract(readMetadata(bytes, source), source);
  let session;
  try {
    session = await host.ort.InferenceSession.create(bytes, host.sessionOptions ?? {});
  } catch (e) {
    throw new ModelContractError(source, `ONNX Runtime cannot load it (${String(e.message ?? e).split('\n')[0]})`);
  }
  return contract.kind === 'sampler' ? new SamplerGraphModel(session, contract, source, host) : new VelocityModel(session, contract, source, host);
}

class FlowModel {
  constructor(session, contract, source, host) {
    /** @type {import('./contract.js').Contract} */
    this.contract = contract;
    this.source = source;
    this.session = session;
    this.host = host;
  }

  /** Numbers in one sample. */
  get dimension() {
    return this.contract.dimension;
  }

  /** One sample's shape, e.g. [2] or [1, 28, 28]. */
  get shape() {
    return this.contract.shape;
  }

  /** The class names of a class-conditional model, else undefined. */
  get classNames() {
    return this.contract.classNames;
  }

  requireInputs(inputs, outputs) {
    const missing = [...inputs.filter((i) => !this.session.inputNames.includes(i)), ...outputs.filter((o) => !this.session.outputNames.includes(o))];
    if (missing.length > 0) {
      throw new ModelContractError(this.source, `has no graph input or output ${missing.join(', ')} (inputs ${this.session.inputNames.join(', ')}; outputs ${this.session.outputNames.join(', ')})`);
    }
  }

  tensor(data, n) {
    return new this.host.ort.Tensor('float32', data, [n, ...this.shape]);
  }

  async chunks(options, defaults, integrateChunk) {
    const { n, offset, seed, classes } = checkCommon(options, this.classes, this.source);
    const chunk = options.chunk ?? (this.shape.length > 1 ? 100 : 1000);
    const d = this.dimension;
    const samples = new Float32Array(n * d);
    const labels = classes === undefined ? undefined : new Int32Array(n);
    let evaluations = 0;
    for (let done = 0; done < n; done += chunk) {
      const size = Math.min(chunk, n - done);
      const first = offset + done;
      const points = new Float32Array(size * d);
      for (let i = 0; i < size; i++) standardNormal(seed, first + i, points.subarray(i * d, (i + 1) * d));
      const rows = classes === undefined ? undefined : BigInt64Array.from({ length: size }, (_, i) => BigInt(classOf(classes, first + i, this.classes)));
      evaluations = await integrateChunk(points, rows, first, size);
      samples.set(points, done * d);
      if (labels) for (let i = 0; i < size; i++) labels[done + i] = Number(rows[i]);
    }
    return { samples, shape: [n, ...this.shape], classes: labels, evaluations, ...defaults };
  }

  // Standardised data: the model's units back to the data's.
  unscale(points) {
    const { mean, std } = this.contract;
    if (!mean) return;
    for (let i = 0; i < points.length; i++) points[i] = points[i] * std[i % this.dimension] + mean[i % this.dimension];
  }

  /** Frees the ONNX Runtime session. */
  async release() {
    await this.session.release();
  }
}

/** A velocity field b_t(x) (inputs x, t and, for class-conditional models, y; output v), integrated from t = 0 to 1. */
export class VelocityModel extends FlowModel {
  constructor(session, contract, source, host) {
    super(session, contract, source, host);
    this.conditional = session.inputNames.includes('y');
    if (this.conditional && contract.classes === 0) {
      throw new ModelContractError(source, 'takes classes (input y) but its metadata names no null class (flowmatching.data.null_class)');
    }
    this.requireInputs(['x', 't'], ['v']);
  }

  /** The null class's id (the number of classes) of a class-conditional model; 0 otherwise. */
  get classes() {
    return this.conditional ? this.contract.classes : 0;
  }

  /** The network's velocity for a batch at one time; rows without classes get the null class. */
  async velocity(t, x, classes) {
    const n = x.length / this.dimension;
    const feeds = { x: this.tensor(x, n), t: new this.host.ort.Tensor('float32', new Float32Array(n).fill(t), [n]) };
    if (this.conditional) feeds.y = new this.host.ort.Tensor('int64', classes ?? new BigInt64Array(n).fill(BigInt(this.classes)), [n]);
    const { v } = await this.session.run(feeds);
    return /** @type {Float32Array} */ (v.data);
  }

  /**
   * Samples the model: starting noise keyed by (seed, index) as in the C# runtime, the model's recommended
   * settings for what `options` leaves unset.
   * @param {import('./sampling.js').SampleOptions} options
   */
  async sample(options) {
    const conditional = options?.classes !== undefined && options.classes !== 'none';
    const settings = resolve(options ?? {}, this.contract.recommended, conditional);
    let field = (t, x, classes) => this.velocity(t, x, classes);
    let weak;
    if (settings.autoguidance) {
      weak = await this.openWeak(settings.autoguidance.weakModel);
      field = autoguided(field, (t, x, classes) => weak.velocity(t, x, classes), settings.autoguidance.weight);
    }
    if (options?.classes !== undefined) field = guided(field, this.classes, settings.guidance, settings.interval);
    field = finite(field, this.source);
    const rule = RULES[settings.method];
    try {
      return await this.chunks(options, { settings }, async (points, rows, first, count) => {
        const observer = options.onStep ? (step, t) => options.onStep({ first, count, step, steps: settings.steps, t, points }) : undefined;
        await integrate(rule, (t, x) => field(t, x, rows), points, settings, observer);
        this.unscale(points);
        return settings.steps * rule.evaluations;
      });
    } finally {
      await weak?.release();
    }
  }

  async openWeak(name) {
    const bytes = await this.host.readBeside(name, this.source);
    const weak = await openModel(bytes, name, this.host);
    const same = weak instanceof VelocityModel && weak.shape.join() === this.shape.join() && weak.classes === this.classes
      && weak.contract.target === this.contract.target && weak.contract.properties['flowmatching.interpolant'] === this.contract.properties['flowmatching.interpolant'];
    if (!same) {
      await weak.release();
      throw new ModelContractError(name, `cannot guide ${this.source} as its weak model: not a velocity model of the same data, classes and interpolant`);
    }
    return weak;
  }
}

/** A whole sampler in one graph (flowmatch-trainer export-sampler): z (and y) to x1 in one call per chunk. */
export class SamplerGraphModel extends FlowModel {
  constructor(session, contract, source, host) {
    super(session, contract, source, host);
    this.conditional = session.inputNames.includes('y');
    this.requireInputs(['z'], ['x1']);
    const steps = Number(/^euler:(\d+)$/.exec(contract.sampler ?? '')?.[1]);
    if (!(steps > 0)) throw new ModelContractError(source, `metadata flowmatching.sampler is "${contract.sampler}", not euler:K`);
    this.steps = steps;
  }

  get classes() {
    return this.conditional ? this.contract.classes : 0;
  }

  /** Samples the graph; it runs its own method, so only n, seed, offset, classes and chunk apply. */
  async sample(options) {
    for (const name of ['method', 'guidance', 'interval', 'autoguidance']) {
      if (options?.[name] !== undefined && !(name === 'method' && options.method === 'euler') && !(name === 'guidance' && options.guidance === 1)) {
        throw new SettingError(name, `${this.source} is a sampler graph that runs ${this.contract.sampler}; it takes no other ${name}`);
      }
    }
    if (options?.steps !== undefined && options.steps !== this.steps) {
      throw new SettingError('steps', `${this.source} is a sampler graph that runs ${this.contract.sampler}; it takes no other step count`);
    }
    const withClasses = this.conditional && options?.classes === undefined ? { ...options, classes: 'none' } : options;
    return this.chunks(withClasses, { settings: { method: 'euler', steps: this.steps } }, async (points, rows, _, count) => {
      const feeds = { z: this.tensor(points, count) };
      if (this.conditional) feeds.y = new this.host.ort.Tensor('int64', rows, [count]);
      const { x1 } = await this.session.run(feeds);
      for (const value of x1.data) if (!Number.isFinite(value)) throw new NonFiniteValueError(this.source, 1);
      points.set(x1.data);
      return this.steps;
    });
  }
}
