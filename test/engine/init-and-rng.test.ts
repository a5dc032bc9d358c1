import { describe, expect, it } from 'vitest';
import { initialiseWeights } from '../../src/engine/nn/init';
import { Rng } from '../../src/engine/nn/rng';
import { mean, std } from '../helpers/arrays';

describe('seeded random numbers', () => {
  it('the same seed gives the same stream; another seed another', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('uniform has mean 1/2 and variance 1/12; normal has mean 0 and std 1', () => {
    const rng = new Rng(1);
    const u = Float64Array.from({ length: 100_000 }, () => rng.uniform());
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(std(u) - Math.sqrt(1 / 12))).toBeLessThan(0.005);
    const n = Float64Array.from({ length: 100_000 }, () => rng.normal());
    expect(Math.abs(mean(n))).toBeLessThan(0.02);
    expect(Math.abs(std(n) - 1)).toBeLessThan(0.02);
  });

  it('shuffle is a permutation', () => {
    const values = Uint32Array.from({ length: 1000 }, (_, i) => i);
    new Rng(3).shuffle(values);
    expect(Array.from(values).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(values.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('initialisers', () => {
  const draw = (rule: Parameters<typeof initialiseWeights>[3], fanIn: number, fanOut: number, first = fanIn) => {
    const w = new Float32Array(fanIn * fanOut);
    initialiseWeights(w, fanIn, fanOut, rule, new Rng(5), first);
    return w;
  };

  it('he: std √(2/fan_in)', () => {
    const w = draw('he', 256, 128);
    expect(std(w) / Math.sqrt(2 / 256)).toBeCloseTo(1, 1);
    expect(Math.abs(mean(w))).toBeLessThan(0.005);
  });

  it('xavier: uniform within ±√(6/(in+out)), std limit/√3', () => {
    const w = draw('xavier', 200, 100);
    const limit = Math.sqrt(6 / 300);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit);
    expect(std(w) / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it('uniform-course: every layer bounded by 1/√(first layer fan-in), as the blog did', () => {
    const w = draw('uniform-course', 64, 10, 784);
    const limit = 1 / Math.sqrt(784);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.max(...w)).toBeGreaterThan(limit * 0.9);
  });

  it('normal-0.01: std 0.01', () => {
    expect(std(draw('normal-0.01', 300, 100)) / 0.01).toBeCloseTo(1, 1);
  });
});
