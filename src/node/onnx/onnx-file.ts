/**
 * .onnx files on disk: a model exported atomically, an ONNX MLP read back (size-bounded) as our
 * model. The CLI's functions run to the end at once; the app's (`…InSlices`, and the asynchronous
 * read and write) never hold the main process's event loop for long.
 */
import * as nodeFs from 'node:fs';
import { basename } from 'node:path';
import { OnnxFileError, decodeOnnxInSlices, encodeOnnxInSlices } from './onnx-codec';
import { modelToOnnx } from '../../engine/files/onnx-export';
import { onnxToModelInSlices, type OnnxImportOptions } from '../../engine/files/onnx-import';
import type { ModelHeader, ModelHeaderInput } from '../../engine/files/model-header';
import { runToEnd, type Sliced } from '../../engine/files/slices';
import type { NetworkWeights } from '../../engine/nn/weights';
import { writeFileAtomic, type AtomicWriteFs } from '../atomic-write';
import { readBoundedFile } from '../bounded-file';

/**
 * The largest .onnx file the importer reads: room for 12 layers of 784→4096→… at float32 is far
 * more than a student's MLP needs (the default preset's model is under 1 MB), and the decoder
 * holds the file and its weights in memory at once, so anything bigger is refused unread.
 */
export const ONNX_MAX_BYTES = 128 * 1024 * 1024;

/** The file extension of ONNX models. */
export const ONNX_FILE_EXTENSION = '.onnx';

/** The .onnx bytes of a saved model (see modelToOnnx), in slices. */
export function onnxBytesInSlices(header: ModelHeader, weights: NetworkWeights, exportedBy: string): Sliced<Uint8Array> {
  return encodeOnnxInSlices(modelToOnnx(header, weights, exportedBy));
}

/** Writes a saved model as an .onnx file, atomically: a failure leaves any file at `path` as it was. */
export function writeOnnxFile(path: string, header: ModelHeader, weights: NetworkWeights, exportedBy: string, fs: AtomicWriteFs = nodeFs): void {
  writeFileAtomic(path, runToEnd(onnxBytesInSlices(header, weights, exportedBy)), fs);
}

/** Our model from the bytes of an ONNX MLP; throws with a message naming `fileName` and the first problem. */
export function modelFromOnnxBytes(bytes: Uint8Array, fileName: string, options: OnnxImportOptions): { header: ModelHeaderInput; weights: NetworkWeights } {
  return runToEnd(modelFromOnnxInSlices(bytes, fileName, options));
}

/** `modelFromOnnxBytes` in slices. */
export function* modelFromOnnxInSlices(bytes: Uint8Array, fileName: string, options: OnnxImportOptions): Sliced<{ header: ModelHeaderInput; weights: NetworkWeights }> {
  if (bytes.length > ONNX_MAX_BYTES) throw new OnnxFileError(onnxTooBig(fileName, bytes.length));
  return yield* onnxToModelInSlices(yield* decodeOnnxInSlices(bytes, fileName), fileName, options);
}

/** Reads an .onnx file, refusing one over ONNX_MAX_BYTES before reading it. */
export function readOnnxFile(path: string, fs: Pick<typeof nodeFs, 'statSync' | 'readFileSync'> = nodeFs): Uint8Array {
  const stats = fs.statSync(path);
  // A device or a pipe has no size to judge and may never end.
  if (!stats.isFile()) throw new OnnxFileError(`${basename(path)} is not a regular file; it was not read.`);
  const size = stats.size;
  if (size > ONNX_MAX_BYTES) throw new OnnxFileError(onnxTooBig(basename(path), size));
  return fs.readFileSync(path);
}

/**
 * `readOnnxFile` without blocking, through the bounded reader: regular files only (checked again on
 * the open file, so a pipe or device is refused rather than waited on), within ONNX_MAX_BYTES.
 */
export function readOnnxFileAsync(path: string): Promise<Uint8Array> {
  return readBoundedFile(path, { kind: 'model', label: basename(path), limit: ONNX_MAX_BYTES });
}

/** Why a file of `size` bytes is not read as an ONNX model. */
export function onnxTooBig(fileName: string, size: number): string {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `${fileName} is ${mb(size)}, more than the ${mb(ONNX_MAX_BYTES)} an MLP Lab model can be; it was not read.`;
}
