import { UsageError, stringOption, type ParsedArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { kernelsFromArgs, loadData } from './common';
import { loadModel } from './model-io';
import { evaluate } from '../engine/training/evaluate';
import { Network } from '../engine/nn/network';

/** `eval`: a saved model's accuracy, loss, per-class accuracy and confusion matrix on the test split. */
export async function evalCommand(options: ParsedArgs['options'], io: CliIo): Promise<number> {
  const modelPath = stringOption(options, 'model');
  if (modelPath === undefined) throw new UsageError('eval needs --model FILE.');
  const { header, weights } = loadModel(modelPath);
  const data = loadData(options);
  const { rows, cols, classes } = header.dataset;
  if (data.test.rows * data.test.cols !== rows * cols || data.classes !== classes) {
    throw new CliFailure(
      `The model in ${modelPath} was trained on ${rows}×${cols} images with ${classes} classes; the dataset ${data.name} has ${data.test.rows}×${data.test.cols} images with ${data.classes} classes.`,
    );
  }
  const network = new Network(header.config, await kernelsFromArgs(options));
  network.setWeights(weights);
  const result = evaluate(network, data.test, data.classes);

  if (options.get('json') === true) {
    io.out(JSON.stringify({
      type: 'eval',
      model: modelPath,
      testAccuracy: result.accuracy,
      testLoss: result.loss,
      perClassAccuracy: result.perClassAccuracy,
      confusion: result.confusion,
    }));
    return 0;
  }
  io.out(`Model ${modelPath}: ${network.describe()}, trained ${header.history.length} epoch(s) on ${header.dataset.name}`);
  io.out(`Test accuracy ${(result.accuracy * 100).toFixed(2)}%, loss ${result.loss.toFixed(4)} on ${result.count.toLocaleString('en-US')} images of ${data.name}`);
  io.out('Per-class accuracy:');
  result.perClassAccuracy.forEach((a, c) => io.out(`  ${String(c).padStart(2)}: ${a === null ? 'no images' : `${(a * 100).toFixed(2)}%`}`));
  io.out('Confusion matrix (rows: true class, columns: predicted):');
  const width = Math.max(4, ...result.confusion.flat().map((n) => String(n).length + 1));
  io.out(`    ${result.confusion.map((_, c) => String(c).padStart(width)).join('')}`);
  result.confusion.forEach((row, c) => io.out(`${String(c).padStart(3)} ${row.map((n) => String(n).padStart(width)).join('')}`));
  return 0;
}
