// Bad input gets an Error whose message names what is wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ModelContractError, SettingError, loadModel } from '../src/node.js';
import { modelPath } from './csharp-runtime.js';

const gmm8 = readFileSync(modelPath('gmm8.onnx'));

test('a file that is not ONNX names the file', async () => {
  await assert.rejects(loadModel(new TextEncoder().encode('x0,x1\n1,2\n'), { name: 'points.csv' }), (e) => e instanceof ModelContractError && /points\.csv/.test(e.message));
});

test('a truncated model names the file', async () => {
  await assert.rejects(loadModel(gmm8.subarray(0, gmm8.length / 2), { name: 'half.onnx' }), (e) => e instanceof ModelContractError && /^half\.onnx: /.test(e.message));
});

test('a missing file names the path', async () => {
  await assert.rejects(loadModel('/nowhere/model.onnx'), /\/nowhere\/model\.onnx: cannot be read/);
});

test('a model of another kind (the feature classifier) is refused by name', async () => {
  await assert.rejects(loadModel(modelPath('fashion-mnist-classifier.onnx')), (e) => e instanceof ModelContractError && /feature classifier/.test(e.message));
});

test('a class out of range names the option and the range', async () => {
  const model = await loadModel(modelPath('fashion-mnist.onnx'));
  await assert.rejects(model.sample({ n: 2, classes: 'none', guidance: 3 }), /^SettingError: guidance: applies only to samples of a class/);
  await assert.rejects(model.sample({ n: 2, classes: 10 }), (e) => e instanceof SettingError && /^classes: 10 is not a class of this model \(0 to 9/.test(e.message));
  await model.release();
});

test('classes for an unconditional model, an unknown option, a bad count and an unknown method are each named', async () => {
  const model = await loadModel(modelPath('gmm8.onnx'));
  await assert.rejects(model.sample({ n: 2, classes: 0 }), /^SettingError: classes: .* not a class-conditional model/);
  await assert.rejects(model.sample({ n: 2, stesp: 4 }), /stesp: is not an option/);
  await assert.rejects(model.sample({ n: -5 }), /^SettingError: n: must be a whole number from 1/);
  await assert.rejects(model.sample({ n: 2, method: 'rk45' }), /method: rk45 is not a method/);
  await assert.rejects(model.sample({ n: 2, guidance: Number.NaN }), /guidance: must be between 0 and 100/);
  await model.release();
});
