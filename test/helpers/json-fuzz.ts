/** Seeded hostile edits of a JSON value, shared by the format fuzzer and the renderer's fuzz test. */
import type { Rng } from '../../src/engine/nn/rng';

/** Hostile replacements for a JSON value: wrong types, huge, zero and negative sizes, prototype keys. */
export const HOSTILE_VALUES: unknown[] = [null, -1, 0, 1e308, -1e308, 2 ** 32, 2 ** 53 + 1, 0.5, '', 'x'.repeat(10_000), [], {}, [[[[]]]], true, { __proto__: { polluted: 1 } }, [-1, 2 ** 31], [4096, 4096, 4096]];

export function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.int(values.length)];
}

/** Sets a random path in a JSON value to a hostile value, or deletes it. */
export function editJson(rng: Rng, value: Record<string, unknown>): void {
  let target: Record<string, unknown> = value;
  for (let depth = 0; depth < 3; depth++) {
    const keys = Object.keys(target);
    if (keys.length === 0) break;
    const key = pick(rng, keys);
    const next = target[key];
    if (typeof next === 'object' && next !== null && rng.int(2) === 0) {
      target = next as Record<string, unknown>;
      continue;
    }
    if (rng.int(5) === 0) delete target[key];
    else target[key] = pick(rng, HOSTILE_VALUES);
    return;
  }
  target[pick(rng, ['__proto__', 'constructor', 'extra'])] = pick(rng, HOSTILE_VALUES);
}
