// Samples/s and images/s of this package in Node.js (onnxruntime-web's WebAssembly; onnxruntime-node when
// installed) and in headless Chromium, beside the C# runtime on the same machine, taking turns. Each on one thread.
// Usage: node bench/speed.js [REPEATS]   (default 2)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import sirv from 'sirv';
import { buildDemo, dist } from '../demo/build.js';
import { loadModel, onnxRuntime } from '../src/node.js';
import { flowmatch, modelPath } from '../test/csharp-runtime.js';

const repeats = Number(process.argv[2] ?? 2);
const CASES = [
  { name: 'gmm8 (Euler 80)', model: 'gmm8.onnx', n: 5000, unit: 'samples', options: {}, csharp: [] },
  { name: 'fashion-mnist (Heun 20, guided)', model: 'fashion-mnist.onnx', n: 16, unit: 'images', options: { classes: 'all' }, csharp: ['--class', 'all'] },
];
const scratch = mkdtempSync(path.join(tmpdir(), 'flowmatch-speed-'));
const backends = ['web'];
try {
  await onnxRuntime('node');
  backends.push('node');
} catch {
  console.log('onnxruntime-node is not installed: Node.js figures are onnxruntime-web only');
}

async function inNode(c, backend) {
  const model = await loadModel(modelPath(c.model), { backend, sessionOptions: backend === 'node' ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : {} });
  const started = performance.now();
  await model.sample({ n: c.n, seed: 0, ...c.options });
  const seconds = (performance.now() - started) / 1000;
  await model.release();
  return seconds;
}

function inCsharp(c) {
  // The C# runtime's own clock: its progress line's elapsed time would round to seconds, so time the process and
  // subtract a start-up measured with a one-sample run.
  const time = (n) => {
    const started = performance.now();
    flowmatch('sample', '--model', modelPath(c.model), '--n', String(n), '--threads', '1', '--provider', 'cpu', '--force', ...c.csharp, '--out', path.join(scratch, c.unit === 'images' ? 'x.npy' : 'x.csv'));
    return (performance.now() - started) / 1000;
  };
  return time(c.n) - time(1);
}

await buildDemo();
const server = createServer(sirv(dist, { dev: true }));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const profile = mkdtempSync(path.join(tmpdir(), 'flowmatch-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] ?? await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });

async function inChromium(c) {
  {
    await page.selectOption('#model', c.model);
    await page.waitForFunction((m) => document.getElementById('status').textContent.startsWith(m), c.model);
    if (c.unit === 'samples') await page.fill('#count', String(c.n));
    else await page.selectOption('#class', 'all');
    await page.evaluate(() => { document.getElementById('status').dataset.seconds = ''; });
    await page.click('#sample');
    await page.waitForFunction(() => document.getElementById('status').dataset.seconds, null, { timeout: 600000 });
    return Number(await page.evaluate(() => document.getElementById('status').dataset.seconds));
  }
}

const results = {};
for (let r = 0; r < repeats; r++) {
  for (const c of CASES) {
    const runs = { 'C# runtime': () => inCsharp(c), ...Object.fromEntries(backends.map((b) => [`Node.js, onnxruntime-${b}`, () => inNode(c, b)])), 'Chromium, onnxruntime-web': () => inChromium(c) };
    for (const [where, run] of Object.entries(runs)) {
      const seconds = await run();
      ((results[c.name] ??= {})[where] ??= []).push(c.n / seconds);
    }
  }
}
await browser.close();
server.close();
rmSync(profile, { recursive: true, force: true });
rmSync(scratch, { recursive: true, force: true });

for (const c of CASES) {
  const rows = results[c.name];
  const base = Math.max(...rows['C# runtime']);
  console.log(`${c.name}, ${c.n} ${c.unit}, best of ${repeats}, one thread:`);
  for (const [where, rates] of Object.entries(rows)) {
    const best = Math.max(...rates);
    console.log(`  ${where.padEnd(28)} ${best.toFixed(best < 10 ? 2 : 0).padStart(8)} ${c.unit}/s   ${(best / base).toFixed(2)}x the C# runtime`);
  }
}
