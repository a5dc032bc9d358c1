/**
 * The app's one registry of control states (see `control-layers.ts` for how layers decide). A
 * component declares a control by wrapping it in `<Control id="train.learningRate">`
 * (`Control.svelte`), which reads the registry from the component tree's context: hidden draws
 * nothing, locked draws it disabled with the deciding layer's note. The lesson player sets the
 * 'lesson' layer; a Simple / Advanced switch would set the 'mode' layer.
 */
import { getContext, setContext } from 'svelte';
import type { ControlId } from '$shared/lesson/lesson-controls';
import { decideControl, type ControlDecision, type ControlLayer, type ControlLayerName } from './control-layers';

export class ControlRegistry {
  private layers = $state.raw<Partial<Record<ControlLayerName, ControlLayer>>>({});

  /** Sets (or, with null, removes) one layer's states. */
  setLayer(name: ControlLayerName, layer: ControlLayer | null): void {
    const next = { ...this.layers };
    if (layer === null) delete next[name];
    else next[name] = { states: { ...layer.states }, lockedNote: layer.lockedNote };
    this.layers = next;
  }

  layer(name: ControlLayerName): ControlLayer | undefined {
    return this.layers[name];
  }

  decide(id: ControlId): ControlDecision {
    return decideControl(this.layers, id);
  }
}

const CONTEXT_KEY = Symbol('control-registry');

/** Makes the registry the one every `<Control>` below the calling component reads (call during init). */
export function provideControlRegistry(registry: ControlRegistry): void {
  setContext(CONTEXT_KEY, registry);
}

/** The registry provided above, or undefined (a component drawn on its own shows every control). */
export function controlRegistry(): ControlRegistry | undefined {
  return getContext<ControlRegistry | undefined>(CONTEXT_KEY);
}
