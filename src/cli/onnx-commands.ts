import { basename, resolve } from 'node:path';
import { UsageError, stringOption, type ParsedArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { loadModel } from './model-io';
import { encodeModel } from '../engine/files/model-file';
import { writeFileAtomic } from '../node/atomic-write';
import { modelFromOnnxBytes, readOnnxFile, writeOnnxFile } from '../node/onnx/onnx-file';
import { APP_VERSION } from '../shared/app-version';

export const EXPORT_VALUED = ['model', 'onnx'];
export const IMPORT_VALUED = ['onnx', 'out', 'name'];

/** `export --model FILE --onnx OUT.onnx`: the saved model as a standard ONNX graph, written atomically. */
export function exportCommand(options: ParsedArgs['options'], io: CliIo): number {
  const modelPath = stringOption(options, 'model');
  const onnxPath = stringOption(options, 'onnx');
  if (modelPath === undefined || onnxPath === undefined) throw new UsageError('export needs --model FILE and --onnx OUT.onnx.');
  const { header, weights } = loadModel(modelPath);
  const absolute = resolve(onnxPath);
  try {
    writeOnnxFile(absolute, header, weights, APP_VERSION);
  } catch (error) {
    throw new CliFailure(`Could not write ${absolute}: ${(error as Error).message}`);
  }
  const result = { type: 'exported', model: resolve(modelPath), onnx: absolute, layers: header.config.layers, activation: header.config.activation };
  io.out(options.get('json') === true ? JSON.stringify(result) : `Exported ${header.config.layers.join('-')} (${header.config.activation}) as ONNX to ${absolute}`);
  return 0;
}

/** `import --onnx FILE --out MODEL.mlpmodel`: an ONNX MLP as an MLP Lab model file. */
export function importCommand(options: ParsedArgs['options'], io: CliIo): number {
  const onnxPath = stringOption(options, 'onnx');
  const outPath = stringOption(options, 'out');
  if (onnxPath === undefined || outPath === undefined) throw new UsageError('import needs --onnx FILE and --out MODEL.mlpmodel.');
  let model;
  try {
    const bytes = readOnnxFile(onnxPath);
    model = modelFromOnnxBytes(bytes, basename(onnxPath), {
      name: stringOption(options, 'name') ?? basename(onnxPath).replace(/\.onnx$/i, ''),
      appVersion: APP_VERSION,
      createdAt: new Date().toISOString(),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliFailure(`Cannot read ${onnxPath}: no such file.`);
    throw new CliFailure((error as Error).message);
  }
  const absolute = resolve(outPath);
  try {
    writeFileAtomic(absolute, encodeModel(model.header, model.weights));
  } catch (error) {
    throw new CliFailure(`Could not write ${absolute}: ${(error as Error).message}`);
  }
  const { layers, activation } = model.header.config;
  const result = { type: 'imported', onnx: resolve(onnxPath), model: absolute, layers, activation };
  io.out(options.get('json') === true ? JSON.stringify(result) : `Imported ${layers.join('-')} (${activation}) from ${onnxPath} into ${absolute}`);
  return 0;
}
