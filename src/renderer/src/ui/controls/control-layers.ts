/**
 * How a control's state (shown, locked or hidden) is decided. Several layers may speak about the
 * controls: a lesson (its step's `controls`), and a Simple / Advanced mode that hides the advanced
 * ones. Each layer names only the controls it cares about; the first layer in `LAYER_PRIORITY`
 * that names a control decides it, and a control no layer names is shown. So a lesson's "shown"
 * brings back a control Simple mode hides, and leaving the lesson (clearing its layer) gives the
 * mode its say again.
 */
import type { ControlId, ControlState, ControlStates } from '$shared/lesson/lesson-controls';

/** The layers, the one that wins first. */
export const LAYER_PRIORITY = ['lesson', 'mode'] as const;
export type ControlLayerName = (typeof LAYER_PRIORITY)[number];

export interface ControlLayer {
  states: ControlStates;
  /** What a control this layer locks says under it, e.g. "Set by the lesson". */
  lockedNote: string;
}

export interface ControlDecision {
  state: ControlState;
  /** The deciding layer's note when the control is locked, else null. */
  note: string | null;
}

const SHOWN: ControlDecision = { state: 'shown', note: null };

export function decideControl(layers: Partial<Record<ControlLayerName, ControlLayer>>, id: ControlId): ControlDecision {
  for (const name of LAYER_PRIORITY) {
    const state = layers[name]?.states[id];
    if (state !== undefined) return { state, note: state === 'locked' ? (layers[name]?.lockedNote ?? null) : null };
  }
  return SHOWN;
}
