// The Node.js entry: models read from files, run by onnxruntime-node when it is installed (native, multi-threaded),
// else by onnxruntime-web's WebAssembly build, which gives the same numbers to float precision.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openModel } from './model.js';

export { ModelContractError, NonFiniteValueError, SettingError } from './errors.js';
export { VelocityModel, SamplerGraphModel } from './model.js';
export * as counterRandom from './counter-random.js';

/**
 * ONNX Runtime as this process has it: `onnxruntime-node` if installed, else `onnxruntime-web`; `prefer` picks.
 * @param {'node'|'web'} [prefer]
 */
export async function onnxRuntime(prefer) {
  if (prefer !== 'web') {
    try {
      return { ort: await import('onnxruntime-node'), backend: 'onnxruntime-node' };
    } catch (e) {
      if (prefer === 'node') throw new Error(`onnxruntime-node is not installed here (${e.message.split('\n')[0]})`);
    }
  }
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  return { ort, backend: 'onnxruntime-web' };
}

async function readModelFile(file) {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new Error(`${file}: cannot be read (${e.code ?? e.message})`);
  }
}

/**
 * Opens a model file (a weak model it recommends is read from beside it) or the file's bytes.
 * @param {string|Uint8Array} source
 * @param {{backend?: 'node'|'web', name?: string, sessionOptions?: object}} [options]
 */
export async function loadModel(source, options = {}) {
  const { ort } = await onnxRuntime(options.backend);
  const isBytes = source instanceof Uint8Array;
  const name = options.name ?? (isBytes ? 'model.onnx' : source);
  const bytes = isBytes ? source : await readModelFile(source);
  const host = {
    ort,
    sessionOptions: options.sessionOptions ?? {},
    readBeside: (file, beside) => readModelFile(path.join(path.dirname(beside), file)),
  };
  return openModel(bytes, name, host);
}
