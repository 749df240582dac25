// The demo page: pick a shipped model (or open a file), sample it in the page, draw it as it denoises.
import { loadModel, ort } from '../src/index.js';

ort.env.wasm.wasmPaths = new URL('./', import.meta.url).href;
// The package itself, for the browser console and the parity test: flowmatch.loadModel(url).then(m => m.sample({ n: 10 })).
globalThis.flowmatch = { loadModel };
ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency ?? 1) : 1;

const $ = (id) => document.getElementById(id);
const canvas = $('canvas');
const context = canvas.getContext('2d');
const GRID = 4; // images per row and column
let model;
let busy = false;

function showError(error) {
  $('error').textContent = error ? String(error.message ?? error) : '';
}

function configure() {
  const images = model.shape.length > 1;
  document.querySelectorAll('.images-only').forEach((e) => { e.hidden = !images || !model.classNames; });
  document.querySelectorAll('.points-only').forEach((e) => { e.hidden = images; });
  const recommended = model.contract.recommended ?? {};
  $('steps').value = recommended.grid ? recommended.grid.length - 1 : recommended.steps ?? 80;
  $('steps').disabled = Boolean(recommended.grid) || model.contract.kind === 'sampler';
  if (model.classNames) {
    $('class').replaceChildren(...model.classNames.map((name, i) => new Option(name, String(i))), new Option('every class', 'all'));
    $('guidance').value = recommended.guidance ?? 1;
    $('guidance-value').textContent = $('guidance').value;
  }
}

async function open(source, name) {
  showError();
  $('status').textContent = `loading ${name} ...`;
  await model?.release();
  model = undefined;
  model = await loadModel(source, { name });
  configure();
  $('status').textContent = `${name}: ${model.shape.join('x')} samples${model.classNames ? `, ${model.classNames.length} classes` : ''}`;
}

function drawImages(points, count) {
  const [channels, height, width] = model.shape;
  const [low, high] = model.contract.range ?? [-1, 1];
  const scale = canvas.width / (GRID * width);
  const image = context.createImageData(GRID * width, GRID * height);
  for (let s = 0; s < Math.min(count, GRID * GRID); s++) {
    const ox = (s % GRID) * width;
    const oy = Math.floor(s / GRID) * height;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const pixel = ((oy + y) * GRID * width + ox + x) * 4;
        for (let c = 0; c < 3; c++) {
          const value = points[s * channels * height * width + (channels === 1 ? 0 : c) * height * width + y * width + x];
          image.data[pixel + c] = Math.max(0, Math.min(255, ((value - low) / (high - low)) * 255));
        }
        image.data[pixel + 3] = 255;
      }
    }
  }
  context.imageSmoothingEnabled = false;
  createImageBitmap(image).then((bitmap) => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, GRID * width * scale, GRID * height * scale);
  });
}

function drawPoints(points) {
  let extent = 1;
  for (const v of points) if (Number.isFinite(v)) extent = Math.max(extent, Math.abs(v));
  extent = Math.ceil(extent * 1.05);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = 'rgba(31, 119, 180, 0.5)';
  const toPixel = (v) => ((v + extent) / (2 * extent)) * canvas.width;
  for (let i = 0; i + 1 < points.length; i += 2) context.fillRect(toPixel(points[i]) - 1, canvas.height - toPixel(points[i + 1]) - 1, 2, 2);
}

async function sample() {
  if (busy || !model) return;
  busy = true;
  showError();
  $('sample').disabled = true;
  const images = model.shape.length > 1;
  const options = { n: images ? GRID * GRID : Number($('count').value), seed: Number($('seed').value) };
  if (!$('steps').disabled) options.steps = Number($('steps').value);
  if (images && model.classNames) {
    options.classes = $('class').value === 'all' ? 'all' : Number($('class').value);
    options.guidance = Number($('guidance').value);
  }
  if (images) options.onStep = ({ points, count }) => drawImages(points, count);
  const started = performance.now();
  try {
    const result = await model.sample(options);
    const seconds = (performance.now() - started) / 1000;
    if (images) drawImages(result.samples, options.n);
    else drawPoints(result.samples);
    const each = images ? `${(seconds / options.n).toFixed(3)} s per image` : `${Math.round(options.n / seconds)} samples/s`;
    $('status').textContent = `${options.n} ${images ? 'images' : 'samples'} in ${seconds.toFixed(2)} s (${each}; ${result.settings.method} ${result.settings.steps} steps, ${result.evaluations} evaluations each)`;
    $('status').dataset.seconds = String(seconds);
    $('status').dataset.count = String(options.n);
  } catch (error) {
    showError(error);
  } finally {
    busy = false;
    $('sample').disabled = false;
  }
}

$('model').addEventListener('change', () => open(new URL(`models/${$('model').value}`, location.href).href, $('model').value).catch(showError));
$('file').addEventListener('change', async () => {
  const file = $('file').files[0];
  if (file) await open(new Uint8Array(await file.arrayBuffer()), file.name).catch(showError);
});
$('guidance').addEventListener('input', () => { $('guidance-value').textContent = $('guidance').value; });
$('sample').addEventListener('click', sample);
open(new URL(`models/${$('model').value}`, location.href).href, $('model').value).catch(showError).finally(() => { document.body.dataset.ready = 'true'; });
