/** What the Backprop screen says about an untrained network: one sentence, not three run together. */

/** The network as a person names it: plain labels ("ReLU", "He"), not the configuration's ids. */
export interface NetworkNames {
  layers: readonly number[];
  activation: string;
  init: string;
  seed: number;
}

/**
 * What the network is and why it is untrained (main's reason, e.g. "There is no model yet: train
 * one on the Train screen or load one on the Models screen."), in one sentence.
 */
export function untrainedBanner(config: NetworkNames, reason: string): string {
  const why = reason.trim().replace(/[.\s]+$/, '');
  const because = why.charAt(0).toLowerCase() + why.slice(1);
  return `Untrained: a fresh ${config.layers.join('-')} ${config.activation} network from the Train form (${config.init} init, seed ${config.seed}), because ${because}.`;
}
