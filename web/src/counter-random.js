// The C# runtime's counter-based random numbers (shared/FlowMatching.Shared/Randomness), bit for bit: every draw
// is a pure function of (seed, stream, counter), in 64-bit unsigned arithmetic, hence BigInt.

const MASK = (1n << 64n) - 1n;
const GOLDEN = 0x9E3779B97F4A7C15n;
const STREAM_MULTIPLIER = 0xD6E8FEB86659FD93n;
const COUNTER_OFFSET = 0x632BE59BD9B4E019n;
const TWO_TO_MINUS_53 = 1 / 2 ** 53;

/** Stream identifiers, as in the C# runtime's Streams: one per purpose. */
export const Streams = Object.freeze({ BaseSamples: 1n });

// SplitMix64's finaliser.
function mix(z) {
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & MASK;
  return z ^ (z >> 31n);
}

/**
 * The key of one stream of one seed.
 * @param {bigint} seed
 * @param {bigint} stream
 * @returns {bigint}
 */
export function key(seed, stream) {
  return mix(mix((BigInt.asUintN(64, seed) + GOLDEN) & MASK) ^ ((stream * STREAM_MULTIPLIER + 1n) & MASK));
}

/**
 * Uniform in (0, 1), never 0.
 * @param {bigint} k a stream's key
 * @param {bigint} counter
 */
export function uniform(k, counter) {
  const bits = mix(k ^ ((counter * GOLDEN + COUNTER_OFFSET) & MASK)) >> 11n;
  return (Number(bits) + 0.5) * TWO_TO_MINUS_53;
}

/**
 * Standard normal by Box-Muller on the uniforms at counters 2c and 2c+1.
 * @param {bigint} k
 * @param {bigint} counter
 */
export function gaussian(k, counter) {
  const u1 = uniform(k, 2n * counter);
  const u2 = uniform(k, 2n * counter + 1n);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The stream owned by one sample, so sample i draws the same numbers in any batch. */
export function forSample(purpose, sampleIndex) {
  return ((purpose << 48n) ^ BigInt.asUintN(64, BigInt(sampleIndex))) & MASK;
}

/**
 * Sample `index`'s starting point from N(0, I), as float32: the C# StandardNormal.SampleIndexed.
 * @param {number|bigint} seed
 * @param {number} index
 * @param {Float32Array} point filled in place
 */
export function standardNormal(seed, index, point) {
  const k = key(BigInt(seed), forSample(Streams.BaseSamples, index));
  for (let j = 0; j < point.length; j++) {
    point[j] = gaussian(k, BigInt(j));
  }
}
