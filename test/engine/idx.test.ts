import { describe, expect, it } from 'vitest';
import { IdxError, parseIdx, parseIdxImages, parseIdxLabels } from '../../src/engine/files/idx';
import { concat, idxBytes, TWO_IMAGES, TWO_LABELS } from '../helpers/idx-bytes';

const IMAGES = 'train-images-idx3-ubyte';
const LABELS = 'train-labels-idx1-ubyte';

/** Runs `parse`, expects an IdxError for `fileName`, and returns its message. */
function refusal(parse: () => unknown, fileName: string): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(IdxError);
    expect((error as IdxError).fileName).toBe(fileName);
    expect((error as IdxError).message).toContain(fileName);
    return (error as IdxError).message;
  }
  throw new Error('expected an IdxError');
}

describe('parseIdx', () => {
  it('reads the dims and returns the data as a view, not a copy', () => {
    const { dims, data } = parseIdx(TWO_IMAGES, IMAGES);
    expect(dims).toEqual([2, 3, 2]);
    expect(Array.from(data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(data.buffer).toBe(TWO_IMAGES.buffer);
    expect(data.byteOffset).toBe(16);
  });

  it('reads big-endian dimensions above 255', () => {
    const bytes = idxBytes([300], new Uint8Array(300));
    expect(parseIdx(bytes, 'x').dims).toEqual([300]);
  });

  it('works on a subarray of a larger buffer', () => {
    const padded = concat(new Uint8Array(3), TWO_LABELS);
    expect(Array.from(parseIdxLabels(padded.subarray(3), LABELS).labels)).toEqual([7, 3]);
  });

  it('refuses bytes too short for a header', () => {
    expect(refusal(() => parseIdx(new Uint8Array([0, 0, 8]), IMAGES), IMAGES)).toMatch(/too short for an IDX header.*3 bytes/);
    expect(refusal(() => parseIdx(new Uint8Array(0), IMAGES), IMAGES)).toMatch(/too short for an IDX header.*0 bytes/);
    expect(refusal(() => parseIdx(TWO_IMAGES.subarray(0, 10), IMAGES), IMAGES)).toMatch(/too short for its IDX header.*16-byte header.*10 bytes/);
  });

  it('refuses a file that does not start with two zero bytes', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(refusal(() => parseIdx(png, IMAGES), IMAGES)).toMatch(/not an IDX file.*89 50 4e 47/);
  });

  it('hints at decompression when the bytes are gzip', () => {
    const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3]);
    expect(refusal(() => parseIdx(gzip, `${IMAGES}.gz`), `${IMAGES}.gz`)).toMatch(/gzip-compressed.*1f 8b.*decompress/);
    expect(refusal(() => parseIdxImages(gzip, IMAGES), IMAGES)).toMatch(/gzip-compressed/);
  });

  it('refuses element types other than unsigned byte, naming the type', () => {
    const floats = idxBytes([1], [0, 0, 0, 0], 0x0d);
    expect(refusal(() => parseIdx(floats, IMAGES), IMAGES)).toMatch(/type 0x0d \(float\).*only unsigned-byte \(0x08\)/);
  });

  it('refuses zero dimensions', () => {
    expect(refusal(() => parseIdx(new Uint8Array([0, 0, 8, 0]), IMAGES), IMAGES)).toMatch(/0 dimensions/);
  });

  it('refuses truncated data, giving expected and found byte counts', () => {
    const cut = TWO_IMAGES.subarray(0, TWO_IMAGES.length - 2);
    expect(refusal(() => parseIdx(cut, IMAGES), IMAGES)).toMatch(/truncated.*2 × 3 × 2.*needs 12 bytes of data.*only 10/);
  });

  it('refuses trailing bytes that disagree with the header', () => {
    const long = concat(TWO_IMAGES, new Uint8Array([1, 2, 3]));
    expect(refusal(() => parseIdx(long, IMAGES), IMAGES)).toMatch(/3 bytes more than its header.*expected 12 bytes of data, found 15/);
  });
});

describe('parseIdxImages', () => {
  it('reads count, rows, cols and pixels', () => {
    const images = parseIdxImages(TWO_IMAGES, IMAGES);
    expect(images.count).toBe(2);
    expect(images.rows).toBe(3);
    expect(images.cols).toBe(2);
    expect(Array.from(images.pixels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('refuses a label file, saying what was expected and found', () => {
    expect(refusal(() => parseIdxImages(TWO_LABELS, IMAGES), IMAGES)).toMatch(
      /wrong magic number: expected 2051 \(0x00000803.*found 2049 \(0x00000801\).*swapped/,
    );
  });

  it('refuses a 2-D unsigned-byte file by its magic', () => {
    expect(refusal(() => parseIdxImages(idxBytes([2, 2], [1, 2, 3, 4]), IMAGES), IMAGES)).toMatch(/expected 2051.*found 2050/);
  });

  it('refuses images with no pixels', () => {
    expect(refusal(() => parseIdxImages(idxBytes([2, 0, 5], []), IMAGES), IMAGES)).toMatch(/0 × 5 pixels/);
  });
});

describe('parseIdxLabels', () => {
  it('reads count and labels', () => {
    const { count, labels } = parseIdxLabels(TWO_LABELS, LABELS);
    expect(count).toBe(2);
    expect(Array.from(labels)).toEqual([7, 3]);
  });

  it('refuses an image file, saying what was expected and found', () => {
    expect(refusal(() => parseIdxLabels(TWO_IMAGES, LABELS), LABELS)).toMatch(/expected 2049 .*label file.*found 2051.*swapped/);
  });

  it('refuses truncated labels', () => {
    expect(refusal(() => parseIdxLabels(TWO_LABELS.subarray(0, 9), LABELS), LABELS)).toMatch(/truncated.*needs 2 bytes of data.*only 1/);
  });
});
