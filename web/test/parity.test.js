// Same seed, same samples: this package in Node.js against what the C# runtime writes during the test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test as it } from 'node:test';
import { loadModel as load, onnxRuntime } from '../src/node.js';
import { flowmatch, flowmatchTrainer, maxAbsDifference, modelPath, readCsv, readNpy } from './csharp-runtime.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'flowmatch-parity-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const TOLERANCE = 1e-4;

// onnxruntime-web's WebAssembly always; onnxruntime-node too where it is installed (an optional peer: 550 MB).
const backends = ['web'];
await onnxRuntime('node').then(() => backends.push('node'), () => {});

for (const backend of backends) {
const loadModel = (file) => load(file, { backend });
const test = (title, body) => it(`${title} (onnxruntime-${backend})`, body);
const assertClose = (what, actual, expected) => {
  const difference = maxAbsDifference(actual, expected);
  console.log(`${what}, onnxruntime-${backend}: max |JS - C#| = ${difference.toExponential(2)} over ${actual.length} numbers`);
  assert.ok(difference <= TOLERANCE, `${what}: max |JS - C#| = ${difference}`);
};
for (const name of ['gmm8', 'checkerboard', 'gmm8-reflow']) {
  test(`${name}: the C# runtime's samples for seed 3 from index 11, at the model's recommendation`, async () => {
    const out = path.join(scratch, `${name}-${backend}.csv`);
    flowmatch('sample', '--model', modelPath(`${name}.onnx`), '--n', '300', '--seed', '3', '--offset', '11', '--out', out);
    const model = await loadModel(modelPath(`${name}.onnx`));
    const result = await model.sample({ n: 300, seed: 3, offset: 11, chunk: 128 });
    assertClose(name, result.samples, readCsv(out));
    await model.release();
  });
}

test('gmm8 with Heun 10 asked for: the C# runtime\'s samples', async () => {
  const out = path.join(scratch, `gmm8-heun-${backend}.csv`);
  flowmatch('sample', '--model', modelPath('gmm8.onnx'), '--n', '200', '--seed', '9', '--method', 'heun', '--steps', '10', '--out', out);
  const model = await loadModel(modelPath('gmm8.onnx'));
  const result = await model.sample({ n: 200, seed: 9, method: 'heun', steps: 10 });
  assert.equal(result.evaluations, 20);
  assertClose('gmm8 heun 10', result.samples, readCsv(out));
  await model.release();
});

test('a sampler graph (gmm8 unrolled as Euler 8 by the trainer): the C# runtime\'s samples, and no other step count', async () => {
  const graph = path.join(scratch, `gmm8-euler8-${backend}.onnx`);
  flowmatchTrainer('export-sampler', '--model', modelPath('gmm8.onnx'), '--steps', '8', '--out', graph);
  const out = path.join(scratch, `gmm8-euler8-${backend}.csv`);
  flowmatch('sample', '--model', graph, '--n', '200', '--seed', '4', '--offset', '5', '--out', out);
  const model = await loadModel(graph);
  assert.equal(model.constructor.name, 'SamplerGraphModel');
  const result = await model.sample({ n: 200, seed: 4, offset: 5, chunk: 64 });
  assertClose('gmm8 sampler graph euler:8', result.samples, readCsv(out));
  await assert.rejects(model.sample({ n: 2, steps: 4 }), /steps: .* runs euler:8; it takes no other step count/);
  await model.release();
});

test('fashion-mnist, every class in turn, guided as recommended: the C# runtime\'s images and classes', async () => {
  const out = path.join(scratch, `fashion-${backend}.npy`);
  flowmatch('sample', '--model', modelPath('fashion-mnist.onnx'), '--class', 'all', '--n', '12', '--seed', '5', '--offset', '7', '--out', out);
  const model = await loadModel(modelPath('fashion-mnist.onnx'));
  const result = await model.sample({ n: 12, seed: 5, offset: 7, classes: 'all', chunk: 5 });
  assert.deepEqual(result.settings.adopted, ['solver', 'guidance', 'interval']);
  const expected = readNpy(out);
  assert.deepEqual(result.shape, expected.shape);
  assert.deepEqual([...result.classes], [...readNpy(path.join(scratch, `fashion-${backend}.labels.npy`)).data].map(Number));
  assertClose('fashion-mnist guided', result.samples, expected.data);
  await model.release();
});

test('fashion-mnist unconditional, autoguided by the weak model it recommends: the C# runtime\'s images', async () => {
  const out = path.join(scratch, `fashion-unconditional-${backend}.npy`);
  flowmatch('sample', '--model', modelPath('fashion-mnist.onnx'), '--n', '3', '--seed', '2', '--out', out);
  const model = await loadModel(modelPath('fashion-mnist.onnx'));
  const result = await model.sample({ n: 3, seed: 2 });
  assert.deepEqual(result.settings.adopted, ['solver', 'autoguidance']);
  assertClose('fashion-mnist autoguided', result.samples, readNpy(out).data);
  await model.release();
});
}
