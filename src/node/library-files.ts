/**
 * Reading the files of the model and study libraries (and files offered for import) through the
 * bounded reader: a model header first, then no more than its layers imply; a study as text within
 * the study limit. Each read is refused with one line naming the file when it is not a regular
 * file or too large.
 */
import { MODEL_HEADER_MAX_BYTES, readBoundedFileSync, type BoundedReadOptions } from './bounded-file';
import { modelDeclaredLength } from '../engine/files/model-file';

function modelOptions(label: string): BoundedReadOptions {
  return { kind: 'model', label, header: modelDeclaredLength, maxHeaderBytes: MODEL_HEADER_MAX_BYTES };
}

/** A model file's bytes, header first and read only as far as the header's layers declare. */
export function readModelFileSync(path: string, label = path): Uint8Array {
  return readBoundedFileSync(path, modelOptions(label));
}

/** A study file's text (UTF-8), within the study limit. */
export function readStudyFileSync(path: string, label = path): string {
  return new TextDecoder().decode(readBoundedFileSync(path, { kind: 'study', label }));
}
