// The demo page in a real browser: Debian's chromium driven by playwright-core, the built page served on 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import sirv from 'sirv';
import { buildDemo, dist } from '../demo/build.js';
import { flowmatch, maxAbsDifference, modelPath, readCsv, readNpy } from './csharp-runtime.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = path.resolve(dist, '../test-output/demo.png');
let server;
let browser;
let page;
let profile;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  await buildDemo();
  server = createServer(sirv(dist, { dev: true }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  profile = mkdtempSync(path.join(tmpdir(), 'flowmatch-chromium-'));
  // A new empty profile, and no background connections: the closed network refuses them, many at a time.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 820, height: 760 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? await browser.newPage();
  page.on('pageerror', (error) => { throw error; });
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60000 });
  assert.equal(await page.textContent('#error'), '');
});

after(async () => {
  await browser?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// Samples with the page's controls and returns the canvas's grey levels and how long the page says it took.
async function sampleImages(classIndex, steps) {
  await page.selectOption('#class', String(classIndex));
  await page.fill('#steps', String(steps));
  await page.evaluate(() => { document.getElementById('status').dataset.seconds = ''; });
  await page.click('#sample');
  await page.waitForFunction(() => document.getElementById('status').dataset.seconds || document.getElementById('error').textContent, null, { timeout: 120000 });
  const error = await page.textContent('#error');
  assert.equal(error, '', error);
  return page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const grey = new Float64Array(data.length / 4);
    for (let i = 0; i < grey.length; i++) grey[i] = data[4 * i];
    const status = document.getElementById('status').dataset;
    return { grey: Array.from(grey), seconds: Number(status.seconds), count: Number(status.count) };
  });
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

test('fashion-mnist in the page: a class\'s images are drawn, and another class\'s differ', async () => {
  const trousers = await sampleImages(1, 10);
  const std = Math.sqrt(mean(trousers.grey.map((v) => (v - mean(trousers.grey)) ** 2)));
  assert.ok(std > 20, `the canvas is nearly uniform (grey level std ${std.toFixed(1)})`);
  console.log(`page: ${trousers.count} fashion-mnist images (Heun 10, guided) in ${trousers.seconds.toFixed(2)} s, ${(trousers.count / trousers.seconds).toFixed(2)} images/s`);
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });

  const sandals = await sampleImages(5, 10);
  const difference = mean(trousers.grey.map((v, i) => Math.abs(v - sandals.grey[i])));
  assert.ok(difference > 15, `trousers and sandals look alike (mean |difference| ${difference.toFixed(1)} grey levels)`);
});

test('gmm8 in the page: a scatter of samples on the canvas', async () => {
  await page.selectOption('#model', 'gmm8.onnx');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('gmm8.onnx'));
  await page.fill('#count', '2000');
  await page.evaluate(() => { document.getElementById('status').dataset.seconds = ''; });
  await page.click('#sample');
  await page.waitForFunction(() => document.getElementById('status').dataset.seconds, null, { timeout: 120000 });
  const { dark, seconds } = await page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let marked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200) marked++;
    return { dark: marked, seconds: Number(document.getElementById('status').dataset.seconds) };
  });
  assert.ok(dark > 1000, `only ${dark} pixels marked`);
  console.log(`page: 2000 gmm8 samples (Euler 80) in ${seconds.toFixed(2)} s, ${Math.round(2000 / seconds)} samples/s`);
});

// Same seed, same samples in the browser: the page's package against what the C# runtime writes now.
async function sampledInPage(model, options) {
  return page.evaluate(async ({ model, options }) => {
    const loaded = await globalThis.flowmatch.loadModel(new URL(`models/${model}`, location.href).href, { name: model });
    const result = await loaded.sample(options);
    await loaded.release();
    return Array.from(result.samples);
  }, { model, options });
}

test('in the browser, gmm8-reflow and guided fashion-mnist give the C# runtime\'s samples for the same seed and indices', async () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'flowmatch-page-parity-'));
  try {
    flowmatch('sample', '--model', modelPath('gmm8-reflow.onnx'), '--n', '200', '--seed', '3', '--offset', '11', '--out', path.join(scratch, 'r.csv'));
    const points = maxAbsDifference(await sampledInPage('gmm8-reflow.onnx', { n: 200, seed: 3, offset: 11 }), readCsv(path.join(scratch, 'r.csv')));
    flowmatch('sample', '--model', modelPath('fashion-mnist.onnx'), '--class', 'all', '--n', '4', '--seed', '5', '--offset', '7', '--out', path.join(scratch, 'f.npy'));
    const images = maxAbsDifference(await sampledInPage('fashion-mnist.onnx', { n: 4, seed: 5, offset: 7, classes: 'all' }), readNpy(path.join(scratch, 'f.npy')).data);
    console.log(`page: max |browser - C#| = ${points.toExponential(2)} (gmm8-reflow), ${images.toExponential(2)} (fashion-mnist guided)`);
    assert.ok(points <= 1e-4 && images <= 1e-4, `max |browser - C#|: ${points}, ${images}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a malformed model file is shown on the page as the package\'s message', async () => {
  await page.setInputFiles('#file', { name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model at all') });
  await page.waitForFunction(() => document.getElementById('error').textContent !== '');
  assert.match(await page.textContent('#error'), /^broken\.onnx: /);
});
