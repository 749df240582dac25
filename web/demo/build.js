// Builds the static demo into web/dist: the page, its bundle, ONNX Runtime's WebAssembly and the shipped models.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = path.join(web, 'dist');
export const MODELS = ['gmm8.onnx', 'checkerboard.onnx', 'gmm8-reflow.onnx', 'fashion-mnist.onnx', 'fashion-mnist-weak.onnx'];

export async function buildDemo() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(path.join(dist, 'models'), { recursive: true });
  await build({
    entryPoints: [path.join(web, 'demo/demo.js')],
    bundle: true,
    format: 'esm',
    minify: true,
    outfile: path.join(dist, 'demo.js'),
    logLevel: 'warning',
  });
  copyFileSync(path.join(web, 'demo/index.html'), path.join(dist, 'index.html'));
  // ONNX Runtime Web's WebAssembly build and its loader, fetched from beside the bundle (ort.env.wasm.wasmPaths).
  for (const file of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
    copyFileSync(path.join(web, 'node_modules/onnxruntime-web/dist', file), path.join(dist, file));
  }
  for (const model of MODELS) copyFileSync(path.join(web, '../models', model), path.join(dist, 'models', model));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildDemo();
  console.log(`built ${dist}`);
}
