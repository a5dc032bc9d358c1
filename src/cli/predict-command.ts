import { UsageError, numberOption, stringOption, type ParsedArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { kernelsFromArgs, loadData } from './common';
import { loadModel } from './model-io';
import { predictImagesCommand } from './predict-images';
import { asciiImage, probabilityBars } from './text-image';
import { evaluate } from '../engine/training/evaluate';
import { Network } from '../engine/nn/network';

/** `predict --model FILE --index N`: the model's probabilities for test image N, with the image. */
export async function predictCommand(options: ParsedArgs['options'], io: CliIo, images: readonly string[] = []): Promise<number> {
  if (images.length > 0) {
    if (options.has('index')) throw new UsageError('predict takes either --index N or --image FILE, not both.');
    return predictImagesCommand(options, images, io);
  }
  const modelPath = stringOption(options, 'model');
  const index = numberOption(options, 'index');
  if (modelPath === undefined || index === undefined) throw new UsageError('predict needs --model FILE and --index N (a test image number) or --image FILE.');
  const { header, weights } = loadModel(modelPath);
  const data = loadData(options);
  if (!Number.isInteger(index) || index < 0 || index >= data.test.count) {
    throw new UsageError(`--index must be a whole number from 0 to ${data.test.count - 1}; got ${index}.`);
  }
  const network = new Network(header.config, await kernelsFromArgs(options));
  if (network.inputSize !== data.test.rows * data.test.cols) {
    throw new CliFailure(`The model in ${modelPath} takes ${network.inputSize} inputs; ${data.name}'s images have ${data.test.rows * data.test.cols} pixels.`);
  }
  network.setWeights(weights);
  const pixels = data.test.rows * data.test.cols;
  const image = data.test.images.subarray(index * pixels, (index + 1) * pixels);
  const single = { ...data.test, count: 1, images: image, labels: data.test.labels.subarray(index, index + 1) };
  const result = evaluate(network, single, data.classes, { keepProbabilities: true });
  const probabilities = Array.from(result.probabilities ?? []);
  const label = single.labels[0];
  const predicted = result.predictions[0];
  if (options.get('json') === true) {
    io.out(JSON.stringify({ type: 'predict', index, label, predicted, probabilities }));
    return 0;
  }
  for (const line of asciiImage(image, data.test.rows, data.test.cols)) io.out(line);
  io.out(`Test image ${index}: label ${label}, predicted ${predicted} ${predicted === label ? '(right)' : '(wrong)'}`);
  for (const line of probabilityBars(probabilities)) io.out(line);
  return 0;
}
