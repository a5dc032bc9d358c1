/**
 * The weights of an .onnx file, handled at the level of protobuf's wire format so that they are
 * never decoded or encoded in one piece: an MLP's file is almost all weights (tens to hundreds of
 * MB of float32), and protobufjs (with our per-value conversions) held the event loop for seconds
 * on them. Here the weights are copied in slices (src/engine/files/slices.ts), and protobufjs is
 * given only the rest of the file: the graph's structure, a few KB.
 *
 * Wire format (protobuf.dev/programming-guides/encoding): a message is a sequence of fields, each
 * a tag (field number << 3 | wire type) as a varint, then the value: a varint (type 0), 8 bytes
 * (1), a length-delimited byte string (2: strings, bytes, nested messages, packed numbers) or
 * 4 bytes (5). Fields may come in any order; a parser reads them in whatever order they are.
 */
import { SLICE_LENGTH, type Sliced } from '../../engine/files/slices';

/** Field numbers of onnx.proto that hold the weights. */
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_RAW_DATA = 9;

const WIRE_VARINT = 0;
const WIRE_64_BIT = 1;
const WIRE_LENGTH = 2;
const WIRE_32_BIT = 5;

/** Bytes that are not a protobuf message; the decoder turns it into its "not an ONNX model" message. */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

/** An initializer's stored values, as found in the file, not yet converted. */
export interface TensorValues {
  /** `raw_data`: the values' bytes (little-endian), a view into the file's bytes. */
  raw: Uint8Array | undefined;
  /** `float_data` as little-endian float32 bytes: packed runs (views) and single values, in order. */
  floats: Uint8Array[];
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Splits an .onnx file's bytes into its weights (each initializer's `raw_data` and `float_data`,
 * in the order of the graph's initializers) and the rest of the file without them, itself a valid
 * ModelProto for protobufjs to decode. A file with two graphs is refused: protobufjs would keep
 * the last, and the weights would no longer match their initializers.
 */
export function* splitTensorValues(bytes: Uint8Array): Sliced<{ rest: Uint8Array; values: TensorValues[] }> {
  const values: TensorValues[] = [];
  let graphs = 0;
  const rest = yield* rewrite(bytes, 0, bytes.length, function* (field, start, end) {
    if (field !== MODEL_GRAPH) return undefined;
    if (++graphs > 1) throw new WireFormatError('it holds two graphs');
    return yield* rewrite(bytes, start, end, function* (graphField, tensorStart, tensorEnd) {
      if (graphField !== GRAPH_INITIALIZER) return undefined;
      const tensor: TensorValues = { raw: undefined, floats: [] };
      values.push(tensor);
      return yield* rewrite(
        bytes,
        tensorStart,
        tensorEnd,
        function* (tensorField, valueStart, valueEnd) {
          if (tensorField === TENSOR_RAW_DATA) tensor.raw = bytes.subarray(valueStart, valueEnd);
          else if (tensorField === TENSOR_FLOAT_DATA) {
            if ((valueEnd - valueStart) % 4 !== 0) throw new WireFormatError('a packed list of floats has a partial value');
            tensor.floats.push(bytes.subarray(valueStart, valueEnd));
          } else return undefined;
          return null;
        },
        // Unpacked float_data: one 4-byte field per value.
        (tensorField, at) => {
          if (tensorField !== TENSOR_FLOAT_DATA) return false;
          tensor.floats.push(bytes.subarray(at, at + 4));
          return true;
        },
      );
    });
  });
  return { rest, values };
}

/** What to do with a length-delimited field: undefined keeps it, null drops it, bytes replace its content. */
type OnLengthField = (field: number, start: number, end: number) => Sliced<Uint8Array | null | undefined>;
/** Takes a 4-byte field (at its value's offset) out of the message when it returns true. */
type OnFixed32Field = (field: number, at: number) => boolean;

/** The message between `start` and `end` with its length-delimited fields kept, dropped or replaced. */
function* rewrite(bytes: Uint8Array, start: number, end: number, onLength: OnLengthField, onFixed32: OnFixed32Field = () => false): Sliced<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let kept = start;
  let at = start;
  let fields = 0;
  const cut = (from: number, to: number, replacement: Uint8Array[]): void => {
    pieces.push(bytes.subarray(kept, from), ...replacement);
    kept = to;
  };
  while (at < end) {
    const fieldStart = at;
    const [tag, afterTag] = readVarint(bytes, at, end);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new WireFormatError('a field has the number 0');
    at = afterTag;
    if (wireType === WIRE_VARINT) at = readVarint(bytes, at, end)[1];
    else if (wireType === WIRE_64_BIT) at = skip(at, 8, end);
    else if (wireType === WIRE_32_BIT) {
      const valueAt = at;
      at = skip(at, 4, end);
      if (onFixed32(field, valueAt)) cut(fieldStart, at, []);
    } else if (wireType === WIRE_LENGTH) {
      const [length, valueStart] = readVarint(bytes, at, end);
      at = skip(valueStart, length, end);
      const outcome = yield* onLength(field, valueStart, at);
      if (outcome === null) cut(fieldStart, at, []);
      else if (outcome !== undefined) cut(fieldStart, at, [encodeVarint(tag), encodeVarint(outcome.length), outcome]);
    } else {
      throw new WireFormatError(`a field has wire type ${wireType}, which ONNX files do not use`);
    }
    if (++fields % SLICE_LENGTH === 0) yield;
  }
  pieces.push(bytes.subarray(kept, end));
  if (pieces.length === 1) return pieces[0];
  return concatenate(pieces);
}

/** A varint's value (up to 2^53) and the offset after it. */
function readVarint(bytes: Uint8Array, start: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let at = start; at < end && at < start + 10; at++) {
    const byte = bytes[at];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (value > Number.MAX_SAFE_INTEGER) throw new WireFormatError('a length or tag is out of range');
      return [value, at + 1];
    }
    scale *= 128;
  }
  throw new WireFormatError('a number is cut off');
}

function skip(at: number, length: number, end: number): number {
  if (length > end - at) throw new WireFormatError('a field runs past the end of its message');
  return at + length;
}

/** The varint encoding of a non-negative whole number (up to 2^53). */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

export function concatenate(pieces: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

/** Little-endian float32 bytes as numbers, copied a slice at a time. */
export function* floatsFromBytes(parts: readonly Uint8Array[]): Sliced<Float32Array> {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const values = new Float32Array(total / 4);
  const out = new Uint8Array(values.buffer);
  let offset = 0;
  for (const part of parts) {
    for (let from = 0; from < part.length; from += 4 * SLICE_LENGTH) {
      const piece = part.subarray(from, Math.min(part.length, from + 4 * SLICE_LENGTH));
      if (littleEndian) out.set(piece, offset);
      else {
        const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
        for (let i = 0; i < piece.length / 4; i++) values[offset / 4 + i] = view.getFloat32(4 * i, true);
      }
      offset += piece.length;
      yield;
    }
  }
  return values;
}

/** Numbers as little-endian float32 bytes, written into `out` at `offset` a slice at a time. */
export function* floatsToBytes(values: Float32Array, out: Uint8Array, offset: number): Sliced<void> {
  for (let from = 0; from < values.length; from += SLICE_LENGTH) {
    const to = Math.min(values.length, from + SLICE_LENGTH);
    if (littleEndian) out.set(new Uint8Array(values.buffer, values.byteOffset + 4 * from, 4 * (to - from)), offset + 4 * from);
    else {
      const view = new DataView(out.buffer, out.byteOffset + offset + 4 * from, 4 * (to - from));
      for (let i = from; i < to; i++) view.setFloat32(4 * (i - from), values[i], true);
    }
    yield;
  }
}
