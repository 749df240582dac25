// A model that returns NaN stops with an Error naming the model and the time, and no samples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import { NonFiniteValueError, loadModel } from '../src/node.js';

const { onnx } = onnxProto;

// v = sqrt(-(x^2 + 1)): NaN at every point, as a broken export would give; with this project's metadata.
function nanModel() {
  const tensor = (name, dims) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: [['format_version', '1'], ['interpolant', 'linear'], ['dimension', '2'], ['target', 'gmm8']].map(([key, value]) => ({ key: `flowmatching.${key}`, value })),
    graph: {
      name: 'nan',
      input: [tensor('x', ['batch', 2]), tensor('t', ['batch'])],
      output: [tensor('v', ['batch', 2])],
      initializer: [{ name: 'one', dataType: onnx.TensorProto.DataType.FLOAT, dims: [1], floatData: [1] }],
      node: [
        { opType: 'Mul', input: ['x', 'x'], output: ['square'] },
        { opType: 'Add', input: ['square', 'one'], output: ['plus_one'] },
        { opType: 'Neg', input: ['plus_one'], output: ['negative'] },
        { opType: 'Sqrt', input: ['negative'], output: ['v'] },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

test('a model that returns NaN stops at the first step, naming the model and t', async () => {
  const model = await loadModel(nanModel(), { name: 'nan.onnx' });
  await assert.rejects(model.sample({ n: 4, seed: 0 }), (e) => e instanceof NonFiniteValueError && e.message === 'nan.onnx returned a non-finite velocity at t = 0');
  await model.release();
});
