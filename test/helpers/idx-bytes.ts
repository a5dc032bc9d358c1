/** Builds the bytes of an unsigned-byte IDX file by hand: magic 00 00 08 d, big-endian dims, data. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.set(Array.from(data), header);
  return bytes;
}

/** Two 3×2 images (pixels 0…11) as an IDX image file. */
export const TWO_IMAGES = idxBytes([2, 3, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

/** Two labels (7, 3) as an IDX label file. */
export const TWO_LABELS = idxBytes([2], [7, 3]);

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
