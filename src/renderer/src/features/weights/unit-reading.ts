/**
 * Reading one hidden unit on the Weights screen: which test images to offer it (one of each
 * class) and how strongly it answers one of them compared with the rest of its layer.
 */

/** Positions of the first image of each class among `labels`, in class order. */
export function firstOfEachClass(labels: readonly number[]): number[] {
  const first = new Map<number, number>();
  labels.forEach((label, position) => {
    if (!first.has(label)) first.set(label, position);
  });
  return [...first].sort((a, b) => a[0] - b[0]).map(([, position]) => position);
}

/**
 * The fraction of the layer's other units whose output is below unit `unit`'s: 1 for the layer's
 * strongest answer, 0 for its weakest (or for a dead unit among dead ones). A layer of one unit has
 * nothing to be compared with: 0.
 */
export function rankAmong(outputs: ArrayLike<number>, unit: number): number {
  if (outputs.length <= 1) return 0;
  const value = outputs[unit];
  let below = 0;
  for (let i = 0; i < outputs.length; i++) if (i !== unit && outputs[i] < value) below++;
  return below / (outputs.length - 1);
}
