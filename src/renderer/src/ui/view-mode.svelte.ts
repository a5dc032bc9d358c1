/**
 * The Simple / Advanced switch's state (see view-mode.ts): one instance, made by the app, which sets
 * the control registry's 'mode' layer and remembers the choice.
 */
import type { ControlRegistry } from './controls/control-registry.svelte';
import { VIEW_MODE_KEY, readViewMode, viewModeStates, type ModeStorage, type ViewModeName } from './view-mode';

export class ViewMode {
  mode = $state<ViewModeName>('advanced');

  constructor(
    private readonly registry: ControlRegistry,
    private readonly storage: ModeStorage | null,
  ) {
    this.mode = readViewMode(storage);
    this.apply();
  }

  set(mode: ViewModeName): void {
    this.mode = mode;
    try {
      this.storage?.setItem(VIEW_MODE_KEY, mode);
    } catch {
      // Storage refused (full, or turned off): the switch still works for this session.
    }
    this.apply();
  }

  private apply(): void {
    const states = viewModeStates(this.mode);
    this.registry.setLayer('mode', states && { states, lockedNote: '' });
  }
}
