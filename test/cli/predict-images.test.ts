// `predict --image`: pictures of digits made here as PNG and JPEG files (MNIST digits blown up onto
// pages of odd sizes, inverted, in colour; strokes drawn with a round pen) are classified as their
// digit by a model trained on real MNIST, through the CLI as a user runs it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/training/evaluate';
import { selectKernels } from '../../src/engine/kernels/select';
import { encodeModel } from '../../src/engine/files/model-file';
import { createRun } from '../../src/engine/training/run';
import { PRESETS } from '../../src/engine/training/run-config';
import { ellipse, jpegBytes, mnistDigit, paint, pngBytes, strokes, type Page } from '../helpers/digit-pictures';
import { mnist } from '../helpers/mnist';
import { cli, jsonLines } from '../helpers/run-script';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-pictures-'));
const modelPath = join(dir, 'digits.mlpmodel');
const pictures = join(dir, 'pictures');
/** Each picture's file name and the digit it shows. */
const expected = new Map<string, number>();

beforeAll(async () => {
  const data = mnist();
  const run = createRun({ ...PRESETS.fast, epochs: 2 }, data, await selectKernels('auto'));
  while (!run.training.done) run.training.step();
  const history = [...run.training.history];
  const bytes = encodeModel(
    {
      name: 'digits',
      config: run.config,
      dataset: { name: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 60_000, testCount: 10_000 },
      history,
      testAccuracy: history[history.length - 1].testAccuracy,
      createdAt: '2026-12-05T22:40:00.000Z',
      appVersion: '0.1.0',
    },
    run.network.getWeights(),
  );
  writeFileSync(modelPath, bytes);

  // The first test image of each chosen digit that the model reads right at 28×28: the pictures
  // test the reading of pictures, not the model's mistakes.
  const predictions = evaluate(run.network, data.test, 10).predictions;
  const firstRight = (digit: number): number => {
    for (let i = 0; i < data.test.count; i++) if (data.test.labels[i] === digit && predictions[i] === digit) return i;
    throw new Error(`no ${digit} read right`);
  };
  mkdirSync(pictures);
  const write = (name: string, digit: number, bytes: Buffer): void => {
    writeFileSync(join(pictures, name), bytes);
    expected.set(name, digit);
  };
  const white: Page['paper'] = [255, 255, 255];
  const black: Page['paper'] = [0, 0, 0];

  // Light on dark, grey PNG, tall odd size, the digit off-centre.
  let page: Page = { width: 97, height: 131, ink: white, paper: [20, 20, 20] };
  write('a-light-on-dark.png', 7, pngBytes(paint(mnistDigit(data.test, firstRight(7), { left: 30, top: 20, width: 60, height: 90 }), page), page.width, page.height, true));
  // Dark on light (inverted), JPEG, wide page, digit small in a corner.
  page = { width: 300, height: 200, ink: black, paper: white };
  write('b-dark-on-light.jpg', 2, jpegBytes(paint(mnistDigit(data.test, firstRight(2), { left: 20, top: 30, width: 110, height: 110 }), page), page.width, page.height));
  // Colour: blue ink on yellow paper, PNG.
  page = { width: 64, height: 64, ink: [30, 40, 200], paper: [250, 230, 120] };
  write('c-blue-on-yellow.png', 4, pngBytes(paint(mnistDigit(data.test, firstRight(4), { left: 4, top: 2, width: 58, height: 60 }), page), page.width, page.height));
  // Colour the other way round: orange ink on dark green, JPEG of odd size.
  page = { width: 123, height: 77, ink: [255, 160, 40], paper: [10, 60, 30] };
  write('d-orange-on-green.jpeg', 3, jpegBytes(paint(mnistDigit(data.test, firstRight(3), { left: 40, top: 5, width: 65, height: 68 }), page), page.width, page.height, 90));
  // Drawn strokes: a 0 as an oval ring, dark pen on light grey paper, JPEG.
  page = { width: 200, height: 250, ink: [40, 40, 40], paper: [225, 225, 225] };
  write('e-drawn-zero.jpg', 0, jpegBytes(paint(strokes([ellipse(100, 125, 55, 85)], 12), page), page.width, page.height));
  // A 1 as one slanted stroke, white chalk on black, PNG of odd size.
  page = { width: 121, height: 333, ink: white, paper: black };
  write('f-drawn-one.png', 1, pngBytes(paint(strokes([[[70, 40], [55, 290]]], 10), page), page.width, page.height));
  // A 7 as two strokes, pencil grey on white, PNG.
  page = { width: 180, height: 180, ink: [90, 90, 90], paper: white };
  write('g-drawn-seven.png', 7, pngBytes(paint(strokes([[[40, 30], [140, 30], [80, 160]]], 9), page), page.width, page.height));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('predict --image', () => {
  it('reads PNG and JPEG pictures of any size, colour and polarity as their digit (a folder, --json)', async () => {
    const r = await cli('predict', '--model', modelPath, '--image', pictures, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => (l.image as string).slice(pictures.length + 1))).toEqual([...expected.keys()].sort());
    for (const line of lines) {
      const name = (line.image as string).slice(pictures.length + 1);
      expect({ name, predicted: line.predicted }).toEqual({ name, predicted: expected.get(name) });
      const probabilities = line.probabilities as number[];
      expect(probabilities).toHaveLength(10);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const inverted = Object.fromEntries(lines.map((l) => [(l.image as string).slice(pictures.length + 1), l.inverted]));
    expect(inverted).toEqual({
      'a-light-on-dark.png': false,
      'b-dark-on-light.jpg': true,
      'c-blue-on-yellow.png': true,
      'd-orange-on-green.jpeg': false,
      'e-drawn-zero.jpg': true,
      'f-drawn-one.png': false,
      'g-drawn-seven.png': true,
    });
    expect(lines[0]).toMatchObject({ width: 97, height: 131 });
  });

  it('prints the 28×28 input as text and the probabilities, for several --image files in one run', async () => {
    const r = await cli('predict', '--model', modelPath, '--image', join(pictures, 'b-dark-on-light.jpg'), '--image', join(pictures, 'f-drawn-one.png'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => l.includes('b-dark-on-light.jpg (300×200, dark on light, inverted'));
    expect(first).toBeGreaterThanOrEqual(0);
    // 28 rows of the picture as the model sees it, two characters a pixel, ink drawn, then the verdict.
    const rows = lines.slice(first + 1, first + 29);
    expect(rows.every((row) => row.length <= 56)).toBe(true);
    expect(rows.join('').replace(/ /g, '').length).toBeGreaterThan(40);
    expect(lines[first + 29]).toMatch(/^Predicted 2 \(\d+\.\d %\)$/);
    expect(lines.slice(first + 30, first + 40).every((l, c) => l.startsWith(`  ${c}: `))).toBe(true);
    expect(r.stdout).toMatch(/f-drawn-one\.png \(121×333, light on dark; as the model sees it:\)/);
    expect(r.stdout).toMatch(/Predicted 1 \(/);
  });

  it('says which picture cannot be read, classifies the rest, and exits 1', async () => {
    const broken = join(dir, 'notes.png');
    writeFileSync(broken, 'not a picture at all');
    const blank = join(dir, 'blank.png');
    const page: Page = { width: 40, height: 30, ink: [0, 0, 0], paper: [255, 255, 255] };
    writeFileSync(blank, pngBytes(paint(() => 0, page), page.width, page.height));
    const r = await cli('predict', '--model', modelPath, '--image', broken, '--image', blank, '--image', join(pictures, 'f-drawn-one.png'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: notes.png is neither a PNG nor a JPEG image.');
    expect(r.stderr).toContain(`error: ${blank} shows no digit: the picture is one flat colour.`);
    expect(jsonLines(r.stdout).map((l) => l.predicted)).toEqual([1]);
    const missing = await cli('predict', '--model', modelPath, '--image');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--image needs a value/);
  });
});
