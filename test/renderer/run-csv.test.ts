import { describe, expect, it } from 'vitest';
import { epochsCsv, iterationsCsv } from '../../src/renderer/src/features/train/run-csv';
import { IterationCurves } from '../../src/renderer/src/ui/charts/curves';

describe('a run as CSV', () => {
  it('one row per minibatch with its epoch; a non-finite loss is an empty field', () => {
    const curves = new IterationCurves();
    curves.add([
      { iteration: 1, loss: 2.3, accuracy: 0.1 },
      { iteration: 2, loss: 1.5, accuracy: 0.5 },
      { iteration: 3, loss: Number.POSITIVE_INFINITY, accuracy: 0.25 },
      { iteration: 4, loss: Number.NaN, accuracy: 0 },
    ]);
    expect(iterationsCsv(curves, 2)).toBe('iteration,epoch,loss,accuracy\r\n1,1,2.3,0.1\r\n2,1,1.5,0.5\r\n3,2,,0.25\r\n4,2,,0\r\n');
  });

  it('no minibatches yet: just the header', () => {
    expect(iterationsCsv(new IterationCurves(), 100)).toBe('iteration,epoch,loss,accuracy\r\n');
  });

  it('one row per epoch, every metric at full precision', () => {
    const epoch = { epoch: 1, trainLoss: 0.3, trainAccuracy: 0.91, testLoss: 0.25, testAccuracy: 0.9312, seconds: 1.5, samplesPerSecond: 40000 };
    expect(epochsCsv([epoch, { ...epoch, epoch: 2, testLoss: Number.NaN }])).toBe(
      'epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,seconds,samplesPerSecond\r\n' +
        '1,0.3,0.91,0.25,0.9312,1.5,40000\r\n' +
        '2,0.3,0.91,,0.9312,1.5,40000\r\n',
    );
  });
});
