/**
 * The keyboard and accessibility end to end in real Chromium, with the real handlers and worker
 * (whole-app.ts): the run controls keep the focus as a real run starts, pauses, resumes and stops
 * (Pause and Resume are one button that changes its label in place); Space pauses and resumes and
 * Esc stops, but never while the user types in a field or while a dialog is open; the "?" button
 * and key open an accessible list of the shortcuts. axe-core, injected into the page, finds no
 * violation on any screen, in both themes, at 1024×768, at 200 % zoom and in presentation mode.
 * Screenshots go to test-output/ (keyboard-*.png).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './a11y-audit';
import { SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { openWholeApp, type WholeApp } from './whole-app';

requireBuiltAppAndBrowser();

describe('Keyboard and accessibility on every screen, in Chromium', () => {
  let whole: WholeApp;

  beforeAll(async () => {
    whole = await openWholeApp();
  });

  afterEach(() => {
    expect(whole.app.problems).toEqual([]);
  });

  afterAll(async () => {
    await whole?.close();
  });

  /** How long a real engine process may take to answer a pause, resume or stop on a crowded machine. */
  const ENGINE = { timeout: 15_000 };
  /** A walk of 8 screens × 6 settings with a real run first: minutes on a crowded 2-core machine. */
  const WALK = 600_000;
  const phase = () => whole.page.getByTestId('status').getAttribute('data-phase');
  const focused = () => whole.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
  /** Marks the focused element, so a later check can tell whether the focus is still on the very same one. */
  const markFocused = () => whole.page.evaluate(() => document.activeElement?.setAttribute('data-was-focused', ''));
  const sameFocused = () => whole.page.evaluate(() => document.activeElement?.hasAttribute('data-was-focused') ?? false);
  const blur = () => whole.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  async function startLongRun(): Promise<void> {
    await whole.show('Train');
    while ((await whole.page.getByRole('button', { name: /Remove hidden layer/ }).count()) > 1) {
      await whole.page.getByRole('button', { name: /Remove hidden layer/ }).last().click();
    }
    await whole.page.getByLabel('Hidden 1').fill('64');
    await whole.page.getByLabel('Epochs').fill('20');
    await whole.page.getByLabel('Batch size').fill('16');
    await whole.page.getByTestId('train').focus();
    await whole.page.keyboard.press('Enter');
  }

  it('the run controls keep the focus: Train → Pause → Resume → Pause in place, Stop → Train', async () => {
    await expect.poll(() => whole.page.locator('#dataset-note').textContent(), { timeout: 20_000 }).toMatch(/60,000 training/);
    await startLongRun();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    // Train is disabled by the run it started; the focus went on to Pause, not to the page.
    await expect.poll(focused, ENGINE).toBe('pause');
    await markFocused();
    await whole.page.keyboard.press('Space');
    await expect.poll(phase, ENGINE).toBe('paused');
    await expect.poll(focused, ENGINE).toBe('resume');
    expect(await sameFocused()).toBe(true);
    await whole.page.keyboard.press('Space');
    await expect.poll(phase, ENGINE).toBe('running');
    await expect.poll(focused, ENGINE).toBe('pause');
    expect(await sameFocused()).toBe(true);
    await whole.screenshot(join(SCREENSHOTS, 'keyboard-run-controls-focus.png'));
    // Tab to Stop and press it: the run ends, Stop is disabled, and the focus goes to Train.
    await whole.page.keyboard.press('Tab');
    expect(await focused()).toBe('stop');
    await whole.page.keyboard.press('Enter');
    await expect.poll(phase, ENGINE).toBe('stopped');
    await expect.poll(focused, ENGINE).toBe('train');
  });

  it('Space pauses and resumes and Esc stops from anywhere on the page, but not while typing in a field', async () => {
    await startLongRun();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    await blur();
    await whole.page.keyboard.press('Space');
    await expect.poll(phase, ENGINE).toBe('paused');
    await whole.page.keyboard.press('Space');
    await expect.poll(phase, ENGINE).toBe('running');
    // On another screen, typing a model's name: Space is a space and Esc does not stop the run.
    await whole.show('Models');
    const name = whole.page.getByLabel('Save the current model as');
    await name.fill('');
    await name.pressSequentially('my net');
    await name.press('Escape');
    await whole.page.waitForTimeout(400);
    expect(await name.inputValue()).toBe('my net');
    // Away from the field, Esc stops the run, from this screen too.
    await blur();
    await whole.show('Train');
    expect(await phase()).toBe('running');
    await whole.show('Models');
    await whole.page.keyboard.press('Escape');
    await whole.show('Train');
    await expect.poll(phase, ENGINE).toBe('stopped');
  });

  it('"?" opens an accessible list of the shortcuts; Esc closes it without stopping the run; the focus comes back', async () => {
    await startLongRun();
    await expect.poll(phase, { timeout: 30_000 }).toBe('running');
    const dialog = whole.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await blur();
    await whole.page.keyboard.press('?');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const rows = await dialog.locator('tbody tr').allTextContents();
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Space ?Pause or resume/), expect.stringMatching(/^Esc ?Stop the run/), expect.stringMatching(/^F5 ?Presentation mode/)]),
    );
    // The dialog has the focus (its Close button) and the keys: Space presses Close, not Pause.
    expect(await whole.page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(describeViolations(await axeViolations(whole.page))).toBe('');
    await whole.screenshot(join(SCREENSHOTS, 'keyboard-shortcuts-dialog.png'));
    await whole.page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await phase()).toBe('running');
    // Opened by its button, closed by Close: the focus returns to the button.
    await whole.page.getByTestId('shortcuts-button').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focused()).toBe('shortcuts-button');
    expect(await phase()).toBe('running');
    await whole.page.getByTestId('stop').click();
    await expect.poll(phase, ENGINE).toBe('stopped');
  });

  it('axe-core finds no violation on any screen, in both themes, at 1024×768, at 200 % zoom and presenting', async () => {
    await whole.fillEveryScreen();
    const tabs = await whole.tabs();
    const found: string[] = [];
    const checkEveryScreen = async (where: string): Promise<void> => {
      for (const tab of tabs) {
        await whole.show(tab);
        await whole.page.waitForTimeout(200);
        const violations = describeViolations(await axeViolations(whole.page));
        if (violations !== '') found.push(`${tab}, ${where}:\n${violations}`);
      }
    };
    for (const theme of ['Light', 'Dark'] as const) {
      await whole.page.getByRole('button', { name: theme, exact: true }).click();
      await whole.setWindow(1024, 768);
      await checkEveryScreen(`${theme}, 1024×768`);
      await whole.setWindow(1024, 768, 2);
      await checkEveryScreen(`${theme}, 1024×768 at 200 %`);
      await whole.setWindow(1024, 768);
      await whole.page.getByRole('button', { name: 'Present' }).click();
      await checkEveryScreen(`${theme}, presenting`);
      await whole.show('Train');
      await whole.screenshot(join(SCREENSHOTS, `keyboard-presenting-${theme.toLowerCase()}-1024x768.png`));
      await whole.page.getByRole('button', { name: 'Present' }).click();
    }
    expect(found.join('\n\n'), 'axe violations').toBe('');
  }, WALK);
});
