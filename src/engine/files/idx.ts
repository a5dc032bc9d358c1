/**
 * IDX, the file format MNIST ships in (Y. LeCun's site), parsed from bytes.
 *
 * An IDX file is a 4-byte magic number, then one big-endian uint32 per dimension, then the data:
 *
 *     byte 0–1  0x00 0x00
 *     byte 2    element type (0x08 = unsigned byte, the only one MLP Lab reads)
 *     byte 3    number of dimensions d
 *     then      d × uint32, big-endian: the size of each dimension
 *     then      size₀ × size₁ × … × size_{d−1} elements, last dimension fastest
 *
 * So the magic number, read as a big-endian uint32, is 2051 (0x0803) for MNIST's images
 * (count × rows × cols) and 2049 (0x0801) for its labels (count).
 */

/** The magic number of an unsigned-byte IDX file of images: type 0x08, 3 dimensions. */
export const IDX_IMAGES_MAGIC = 0x0803;
/** The magic number of an unsigned-byte IDX file of labels: type 0x08, 1 dimension. */
export const IDX_LABELS_MAGIC = 0x0801;

const UNSIGNED_BYTE = 0x08;

/** Names of the IDX element types, so a refusal can say what the file holds instead. */
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** A file that is not a well-formed unsigned-byte IDX file; the message names the file and the problem. */
export class IdxError extends Error {
  /** The file (name or path) the bytes came from, as the caller gave it. */
  readonly fileName: string;

  constructor(fileName: string, message: string) {
    super(message);
    this.name = 'IdxError';
    this.fileName = fileName;
  }
}

/** An n-dimensional array of bytes, as an IDX file stores it. */
export interface IdxArray {
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** The elements, last dimension fastest: a view into the file's bytes, not a copy. */
  data: Uint8Array;
}

/** The images of an IDX image file (magic 2051). */
export interface IdxImages {
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
  /** count × rows × cols pixel bytes, row-major: a view into the file's bytes. */
  pixels: Uint8Array;
}

/** The labels of an IDX label file (magic 2049). */
export interface IdxLabels {
  /** Number of labels. */
  count: number;
  /** One byte per label: a view into the file's bytes. */
  labels: Uint8Array;
}

/**
 * What an IDX file's first bytes declare about its length: `{ need }` while they are too few to
 * hold the whole header, then `{ total }`, the header's bytes plus the data its dimensions
 * describe. A reader uses it to read no more than that; a bad start throws the parser's `IdxError`.
 */
export function idxDeclaredLength(head: Uint8Array, fileName: string): { total: number } | { need: number } {
  if (head.length < 4) return { need: 4 };
  const rank = checkIdxStart(head, fileName);
  const headerBytes = 4 + 4 * rank;
  if (head.length < headerBytes) return { need: headerBytes };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let total = 1;
  for (let i = 0; i < rank; i++) total *= view.getUint32(4 + 4 * i, false);
  return { total: headerBytes + total };
}

/** Parses any unsigned-byte IDX file, whatever its number of dimensions. */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxArray {
  checkStart(bytes, fileName);
  const rank = checkIdxStart(bytes, fileName);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxError(
      fileName,
      `${fileName} is too short for its IDX header: ${rank} dimensions need a ${headerBytes}-byte header, but the file has only ${bytes.length} bytes.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  // A product of up to 255 uint32s can pass 2⁵³; it then only needs to compare as "too many".
  const expected = dims.reduce((product, size) => product * size, 1);
  const found = bytes.length - headerBytes;
  if (found < expected) {
    throw new IdxError(
      fileName,
      `${fileName} is truncated: its header (${dims.join(' × ')}) needs ${expected} bytes of data, but the file holds only ${found}. ` +
        'The download may be incomplete; download it again.',
    );
  }
  if (found > expected) {
    throw new IdxError(
      fileName,
      `${fileName} has ${found - expected} bytes more than its header (${dims.join(' × ')}) describes: ` +
        `expected ${expected} bytes of data, found ${found}. The header's counts disagree with the file's length.`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Parses an IDX image file: magic 2051, dimensions count × rows × cols. */
export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  expectMagic(bytes, fileName, IDX_IMAGES_MAGIC);
  const { dims, data } = parseIdx(bytes, fileName);
  const [count, rows, cols] = dims;
  if (rows === 0 || cols === 0) {
    throw new IdxError(fileName, `${fileName} declares images of ${rows} × ${cols} pixels; an image needs at least one pixel.`);
  }
  return { count, rows, cols, pixels: data };
}

/** Parses an IDX label file: magic 2049, one dimension (the count). */
export function parseIdxLabels(bytes: Uint8Array, fileName: string): IdxLabels {
  expectMagic(bytes, fileName, IDX_LABELS_MAGIC);
  const { dims, data } = parseIdx(bytes, fileName);
  return { count: dims[0], labels: data };
}

/** Checks the zero bytes, the element type and the rank of an IDX file's first 4 bytes; returns the rank. */
function checkIdxStart(bytes: Uint8Array, fileName: string): number {
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      fileName,
      `${fileName} is not an IDX file: an IDX file starts with two zero bytes, a type byte and a dimension count, ` +
        `but this one starts with ${hexBytes(bytes, 4)}.`,
    );
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const kind = TYPE_NAMES[type] ? ` (${TYPE_NAMES[type]})` : '';
    throw new IdxError(
      fileName,
      `${fileName} holds IDX elements of type ${hex(type)}${kind}; MLP Lab reads only unsigned-byte (0x08) IDX files, as MNIST uses.`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) {
    throw new IdxError(fileName, `${fileName} declares 0 dimensions in its IDX header; images need 3 and labels 1.`);
  }
  return rank;
}

/** Refuses bytes too short to hold a magic number, with a hint when they are still gzip-compressed. */
function checkStart(bytes: Uint8Array, fileName: string): void {
  // A gzip stream starts 1f 8b; MNIST is usually downloaded that way and easily left compressed.
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxError(
      fileName,
      `${fileName} looks gzip-compressed (it starts with bytes 1f 8b), not like a raw IDX file: ` +
        'decompress it first (e.g. gunzip), or open its folder in MLP Lab, which decompresses .gz files itself.',
    );
  }
  if (bytes.length < 4) {
    throw new IdxError(
      fileName,
      `${fileName} is too short for an IDX header: it has ${bytes.length} bytes, and the magic number alone takes 4. The file may be empty or cut off.`,
    );
  }
}

function expectMagic(bytes: Uint8Array, fileName: string, expected: number): void {
  checkStart(bytes, fileName);
  const found = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  if (found === expected) return;
  const swapped =
    found === IDX_LABELS_MAGIC || found === IDX_IMAGES_MAGIC
      ? ` It looks like an IDX ${found === IDX_LABELS_MAGIC ? 'label' : 'image'} file: are the image and label files swapped?`
      : '';
  throw new IdxError(
    fileName,
    `${fileName} has the wrong magic number: expected ${expected} (${hex(expected, 8)}, ${describeMagic(expected)}), ` +
      `found ${found} (${hex(found, 8)}).${swapped}`,
  );
}

function describeMagic(magic: number): string {
  return magic === IDX_IMAGES_MAGIC ? 'an IDX image file' : 'an IDX label file';
}

function hex(value: number, digits = 2): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function hexBytes(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
