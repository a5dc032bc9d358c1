import { describe, expect, it } from 'vitest';
import { shortRunLabel } from '../../src/renderer/src/features/experiments/variation-text';
import { BLOG_STUDY, expandStudyGrids } from '../../src/shared/study';

describe('short run labels', () => {
  it('shortens each varied setting as a legend can hold it', () => {
    expect(shortRunLabel('batchSize=16')).toBe('batch 16');
    expect(shortRunLabel('learningRate=0.1')).toBe('lr 0.1');
    expect(shortRunLabel('activation=sigmoid')).toBe('sigmoid');
    expect(shortRunLabel('init=xavier')).toBe('xavier init');
    expect(shortRunLabel('optimizer=adam')).toBe('adam');
    expect(shortRunLabel('hidden=128x64')).toBe('hidden 128x64');
  });

  it('joins several settings with a middle dot, keeps "base" and anything it does not know', () => {
    expect(shortRunLabel('batchSize=64, learningRate=0.01, activation=relu')).toBe('batch 64 · lr 0.01 · relu');
    expect(shortRunLabel('base')).toBe('base');
    expect(shortRunLabel('dropout=0.5')).toBe('dropout=0.5');
  });

  it('gives the blog study’s nine runs labels a legend can hold', () => {
    const labels = expandStudyGrids(BLOG_STUDY.base, BLOG_STUDY.grids).map((run) => shortRunLabel(run.label));
    expect(labels).toEqual(['batch 16', 'batch 32', 'batch 64 · lr 0.01 · relu', 'batch 128', 'lr 0.1', 'lr 0.001', 'lr 0.0001', 'sigmoid', 'tanh']);
  });
});
