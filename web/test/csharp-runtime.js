// The C# runtime, run as a user runs it, to write the samples this package must reproduce.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import npyjs from 'npyjs';

export const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const modelPath = (name) => path.join(repository, 'models', name);
// Runs a program of the C# side, building it first where this clone has not.
function run(project, dll, args) {
  if (!existsSync(dll)) {
    execFileSync('dotnet', ['build', path.join(repository, project), '-c', 'Release'], { stdio: 'inherit' });
  }
  return execFileSync('dotnet', [dll, ...args], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `flowmatch ARGS...` */
export const flowmatch = (...args) => run('runtime/flowmatch', path.join(repository, 'runtime/flowmatch/bin/Release/net10.0/flowmatch.dll'), args);

/** `flowmatch-trainer ARGS...` */
export const flowmatchTrainer = (...args) => run('trainer', path.join(repository, 'trainer/bin/Release/net10.0/flowmatch-trainer.dll'), args);

/** The rows of a samples CSV the C# runtime wrote, flattened. */
export function readCsv(file) {
  const [, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  return Float32Array.from(rows.flatMap((row) => row.split(',').map(Number)));
}

/** An .npy file's numbers and shape. */
export function readNpy(file) {
  const bytes = readFileSync(file);
  const array = new npyjs().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { data: array.data, shape: array.shape };
}

/** The largest |a_i - b_i|. */
export function maxAbsDifference(a, b) {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
