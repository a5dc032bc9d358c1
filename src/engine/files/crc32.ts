/**
 * CRC-32 as zlib, gzip and PNG compute it (IEEE 802.3): the reflected polynomial 0xEDB88320,
 * initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. It detects every burst error up to 32 bits, so
 * any single changed byte in a model file is caught.
 */
import { SLICE_LENGTH, type Sliced } from './slices';

/** TABLE[n] is the CRC of the single byte n: one table lookup replaces eight shift-and-XOR steps. */
const TABLE = makeTable();

function makeTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The CRC-32 of `bytes`, as an unsigned 32-bit number. Pass the CRC of earlier bytes as
 * `previous` to continue over data that arrives in pieces: crc32(b, crc32(a)) = crc32(a ++ b).
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `crc32(bytes)`, pausing after each slice (see slices.ts). */
export function* crc32InSlices(bytes: Uint8Array): Sliced<number> {
  let crc = 0;
  for (let start = 0; start < bytes.length; start += SLICE_LENGTH) {
    crc = crc32(bytes.subarray(start, start + SLICE_LENGTH), crc);
    yield;
  }
  return crc;
}
