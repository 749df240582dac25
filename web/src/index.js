// The browser entry: models fetched by URL (or given as bytes), run by onnxruntime-web (WebAssembly; threads
// when the page is cross-origin isolated).
import * as ort from 'onnxruntime-web/wasm';
import { openModel } from './model.js';

export { ModelContractError, NonFiniteValueError, SettingError } from './errors.js';
export { VelocityModel, SamplerGraphModel } from './model.js';
export * as counterRandom from './counter-random.js';
export { ort };

async function fetchBytes(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`${url}: cannot be fetched (${e.message})`);
  }
  if (!response.ok) throw new Error(`${url}: cannot be fetched (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Opens a model: a URL (a weak model it recommends is fetched beside it) or the file's bytes.
 * @param {string|URL|Uint8Array|ArrayBuffer} source
 * @param {{name?: string, sessionOptions?: object}} [options]
 */
export async function loadModel(source, options = {}) {
  const isBytes = source instanceof Uint8Array || source instanceof ArrayBuffer;
  const name = options.name ?? (isBytes ? 'model.onnx' : String(source));
  const bytes = isBytes ? new Uint8Array(source) : await fetchBytes(source);
  const host = {
    ort,
    sessionOptions: { executionProviders: ['wasm'], ...options.sessionOptions },
    readBeside: (file, beside) => fetchBytes(new URL(file, new URL(beside, globalThis.location?.href)).href),
  };
  return openModel(bytes, name, host);
}
