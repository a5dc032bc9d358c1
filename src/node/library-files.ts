/**
 * Reading the files of the model and study libraries (and files offered for import) through the
 * bounded reader: a model header first, then no more than its layers imply; a study as text within
 * the study limit. Each read is refused with one line naming the file when it is not a regular
 * file or too large. The synchronous readers serve the CLI; the others never block the caller's
 * event loop (the app's main process), and a model read through them is decoded in slices.
 */
import { MODEL_HEADER_MAX_BYTES, readBoundedFile, readBoundedFileSync, readBoundedHead, type BoundedReadOptions } from './bounded-file';
import { decodeModelHeader, decodeModelInSlices, modelDeclaredLength, verifyModelInSlices, type DecodedModel, type ModelHeader } from '../engine/files/model-file';
import { runInSlices } from './run-in-slices';

function modelOptions(label: string): BoundedReadOptions {
  return { kind: 'model', label, header: modelDeclaredLength, maxHeaderBytes: MODEL_HEADER_MAX_BYTES };
}

/** A model file's bytes, header first and read only as far as the header's layers declare. */
export function readModelFileSync(path: string, label = path): Uint8Array {
  return readBoundedFileSync(path, modelOptions(label));
}

/** As `readModelFileSync`, without blocking (the reads run on libuv's threads). */
export function readModelFile(path: string, label = path): Promise<Uint8Array> {
  return readBoundedFile(path, modelOptions(label));
}

/** A model file's bytes decoded and verified (checksum, shapes, finite weights) in slices. */
export function decodeModelFile(bytes: Uint8Array, label: string): Promise<DecodedModel> {
  return runInSlices(decodeModelInSlices(bytes, label));
}

/** A model file's bytes verified as `decodeModelFile` does, without copying the weights out; returns the header. */
export function verifyModelFile(bytes: Uint8Array, label: string): Promise<ModelHeader> {
  return runInSlices(verifyModelInSlices(bytes, label));
}

/**
 * A model file's header and size, without reading its weights: everything a library list shows.
 * Damaged weights are found when the model is opened.
 */
export async function readModelHeader(path: string, label = path): Promise<{ header: ModelHeader; size: number }> {
  const { head, size } = await readBoundedHead(path, modelOptions(label));
  return { header: decodeModelHeader(head, size, label), size };
}

/** A study file's text (UTF-8), within the study limit. */
export function readStudyFileSync(path: string, label = path): string {
  return new TextDecoder().decode(readBoundedFileSync(path, { kind: 'study', label }));
}

/** A study file's bytes, within the study limit, without blocking (decoded where they are parsed). */
export function readStudyFile(path: string, label = path): Promise<Uint8Array> {
  return readBoundedFile(path, { kind: 'study', label });
}
