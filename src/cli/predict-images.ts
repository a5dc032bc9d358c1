import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { UsageError, type ParsedArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { kernelsFromArgs } from './common';
import { loadModel } from './model-io';
import { asciiImage, probabilityBars } from './text-image';
import { evaluate } from '../engine/training/evaluate';
import { preprocessDigit } from '../engine/teaching/digit-preprocess';
import { inkFromRgba } from '../engine/teaching/image-ink';
import { Network } from '../engine/nn/network';
import { IMAGE_EXTENSIONS, readImageFile } from '../node/image-file';

/** The side of the model's square input: MNIST's 28. */
const SIDE = 28;

/**
 * Takes every `--image FILE` / `--image=FILE` out of argv (parseArgs keeps one value per option,
 * and --image may repeat) and returns them with the rest of argv.
 */
export function takeImages(argv: readonly string[]): { images: string[]; rest: string[] } {
  const images: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--image') {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError('--image needs a value: a PNG or JPEG file, or a folder of them.');
      images.push(argv[++i]);
    } else if (word.startsWith('--image=')) images.push(word.slice('--image='.length));
    else rest.push(word);
  }
  return { images, rest };
}

/** The image files named: each file as given, each folder's PNG and JPEG files in name order. */
function expandFolders(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      return [path]; // reading it will say what is wrong
    }
    if (!isFolder) return [path];
    const files = readdirSync(path)
      .filter((name) => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()))
      .sort()
      .map((name) => join(path, name));
    if (files.length === 0) throw new CliFailure(`${path} has no PNG or JPEG files (${IMAGE_EXTENSIONS.join(', ')}).`);
    return files;
  });
}

/** A picture made into the model's input: its 28×28 bytes, or why it could not be. */
type Prepared = { path: string; ok: true; image: Uint8Array; inverted: boolean; width: number; height: number } | { path: string; ok: false; message: string };

function prepare(path: string): Prepared {
  try {
    const picture = readImageFile(path);
    const ink = inkFromRgba(picture);
    const result = preprocessDigit(ink, { size: SIDE, fit: 20 });
    if (result.status === 'empty') return { path, ok: false, message: `${path} shows no digit: the picture is one flat colour.` };
    return { path, ok: true, image: result.image, inverted: ink.inverted, width: picture.width, height: picture.height };
  } catch (error) {
    return { path, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `predict --model FILE --image PICTURE…`: each PNG or JPEG (a folder: all of them) preprocessed
 * like a drawing on the draw pad and classified. A picture that cannot be read is reported on
 * stderr and the others still classified; the exit code is then 1.
 */
export async function predictImagesCommand(options: ParsedArgs['options'], paths: readonly string[], io: CliIo): Promise<number> {
  const modelPath = options.get('model');
  if (typeof modelPath !== 'string') throw new UsageError('predict needs --model FILE.');
  const { header, weights } = loadModel(modelPath);
  const network = new Network(header.config, await kernelsFromArgs(options));
  if (network.inputSize !== SIDE * SIDE) {
    throw new CliFailure(`The model in ${modelPath} takes ${network.inputSize} inputs; a picture is made into ${SIDE}×${SIDE} = ${SIDE * SIDE} pixels.`);
  }
  network.setWeights(weights);
  const json = options.get('json') === true;
  let failed = 0;
  for (const prepared of expandFolders(paths).map(prepare)) {
    if (!prepared.ok) {
      io.err(`error: ${prepared.message}\n`);
      failed++;
      continue;
    }
    const set = { count: 1, rows: SIDE, cols: SIDE, images: prepared.image, labels: new Uint8Array(1) };
    const result = evaluate(network, set, network.outputSize, { keepProbabilities: true });
    const probabilities = Array.from(result.probabilities ?? []);
    const predicted = result.predictions[0];
    const { path, inverted, width, height } = prepared;
    if (json) {
      io.out(JSON.stringify({ type: 'predict', image: path, predicted, probabilities, inverted, width, height }));
      continue;
    }
    io.out(`${path} (${width}×${height}, ${inverted ? 'dark on light, inverted' : 'light on dark'}; as the model sees it:)`);
    for (const line of asciiImage(prepared.image, SIDE, SIDE)) io.out(line);
    io.out(`Predicted ${predicted} (${(probabilities[predicted] * 100).toFixed(1)} %)`);
    for (const line of probabilityBars(probabilities)) io.out(line);
  }
  return failed > 0 ? 1 : 0;
}
