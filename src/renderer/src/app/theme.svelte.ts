/**
 * Light or dark: follows the system unless the user picks one; the pick is remembered. The choice is
 * applied to `<html data-theme>` at once, so anything that reads the CSS colours sees the new ones.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'mlp-lab.theme';

export class Theme {
  choice = $state<ThemeChoice>('system');
  private systemDark = $state(false);
  readonly resolved = $derived<'light' | 'dark'>(
    this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice,
  );

  constructor(private readonly root: HTMLElement = document.documentElement) {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = query.matches;
    query.addEventListener('change', (event) => {
      this.systemDark = event.matches;
      this.apply();
    });
    const stored = readStored();
    if (stored !== null) this.choice = stored;
    this.apply();
  }

  choose(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage can be unavailable; the choice then lasts for this session only.
    }
    this.apply();
  }

  private apply(): void {
    this.root.dataset['theme'] = this.resolved;
  }
}

function readStored(): ThemeChoice | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return THEME_CHOICES.find((choice) => choice === value) ?? null;
  } catch {
    return null;
  }
}
