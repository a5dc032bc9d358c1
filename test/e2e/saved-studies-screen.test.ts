/**
 * Saved studies on the Experiments screen, end to end in real Chromium, bridged to the real
 * main-side handlers (experiments-app.ts) and the real study store on a temporary folder: a study is
 * renamed and deleted (after a confirmation) from the list, and the one on screen follows; a file
 * from a newer MLP Lab and a broken one are listed as unreadable, refused and deleted. The two
 * readable studies are saved straight into the folder (test/helpers/study-fixture.ts) rather than
 * trained: experiments-screen.test.ts trains real ones.
 * Any console error, page error, CSP violation, failed request or HTTP error fails the test.
 * Screenshots go to test-output/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudyStore } from '../../src/main/study-store';
import { writeFileAtomic } from '../../src/node/atomic-write';
import { finishedStudy } from '../helpers/study-fixture';
import { openExperimentsApp, type ExperimentsApp } from './experiments-app';
import { requireBuiltAppAndBrowser } from './e2e-env';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

describe('Saved studies on the Experiments screen in Chromium, with the real study store', () => {
  let experiments: ExperimentsApp;
  let page: Page;
  let scratch: string;

  beforeAll(async () => {
    experiments = await openExperimentsApp('mlp-lab-e2e-saved-studies-');
    ({ page, scratch } = experiments);
    // As the app saves them: a blog study of 9 runs, then a newer one of 2.
    const store = createStudyStore(experiments.studyFolder);
    await store.save(finishedStudy(1, 'Blog study', [16, 32, 64, 128, 16, 32, 64, 128, 64]));
    await store.save(finishedStudy(2, 'Two batch sizes', [64, 128]));
    // The first test reloads the page at once: let the first load finish (the favicon too), so
    // that no request of it is cut off and reported as failed.
    await page.waitForLoadState('networkidle');
  });

  afterAll(async () => {
    await experiments?.close();
  });

  const screenshot = (name: string, both = true, inView?: Locator) => screenshotSizes(page, name, both, inView);
  const savedIdOf = (name: string): Promise<string> => experiments.savedIdOf(name);
  const rowStatuses = () => experiments.rowStatuses();

  it('Experiments: a study file from a newer MLP Lab and a broken one are listed as unreadable; Open says why and opens nothing; Delete removes them', async () => {
    const folder = join(scratch, 'studies');
    const list = page.getByLabel('Saved study');
    const saved = page.getByRole('region', { name: 'Saved studies' });
    const problem = () => page.getByTestId('study-file-problem').textContent();
    const openMessage = () => page.getByRole('region', { name: 'Study' }).getByRole('alert').textContent();
    const title = () => page.getByTestId('study-title').textContent();
    const twoId = await savedIdOf('Two batch sizes');
    const blogId = await savedIdOf('Blog study');
    // A name, a date and runs, as this version looks for, but in a layout it does not know.
    const newerId = 'fedcba9876543210fedcba9876543210';
    const newerText = JSON.stringify({ format: 2, id: newerId, name: 'From a newer MLP Lab', createdAt: '2031-01-01T00:00:00.000Z', runs: [{ series: {} }] });
    const brokenId = '0000000000000000000000000000dead';
    writeFileAtomic(join(folder, `${newerId}.json`), new TextEncoder().encode(newerText));
    writeFileAtomic(join(folder, `${brokenId}.json`), new TextEncoder().encode('{"format":1,"id":"0000000000000000000000000000dead","na'));
    const newer = `The saved study ${newerId} was saved by a newer MLP Lab (study format 2; this version reads format 1). Update MLP Lab to open it.`;
    const broken = new RegExp(`^The saved study ${brokenId} cannot be read: it is damaged \\(not valid JSON: .+\\)\\.$`);

    // Listed after the readable studies (newest first), in a group of their own, each marked.
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await expect.poll(() => list.locator('option').allTextContents()).toEqual([
      'Choose a study…',
      expect.stringMatching(/^Two batch sizes · 2 runs · /),
      expect.stringMatching(/^Blog study · 9 runs · /),
      `⚠ Cannot be read: ${brokenId}.json`,
      `⚠ Cannot be read: ${newerId}.json`,
    ]);
    expect(await list.locator('optgroup[label="Cannot be read"] option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toEqual([brokenId, newerId]);
    await list.selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(title).toBe('Two batch sizes');

    // Chosen, it says what is wrong; it cannot be renamed; Open says so again and opens nothing.
    await list.selectOption(newerId);
    expect(await problem()).toBe(newer);
    expect(await page.getByLabel('New name').count()).toBe(0);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(openMessage).toBe(newer);
    expect(await title()).toBe('Two batch sizes');
    expect(await rowStatuses()).toEqual(['completed', 'completed']);
    await screenshot('29a-experiments-unreadable', true, saved);
    expect(readFileSync(join(folder, `${newerId}.json`), 'utf8')).toBe(newerText);

    await list.selectOption(brokenId);
    expect(await problem()).toMatch(broken);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(openMessage).toMatch(broken);
    expect(await title()).toBe('Two batch sizes');

    // Delete asks first, like any study's; Keep keeps the file.
    await page.getByRole('button', { name: 'Delete file…' }).click();
    expect(await page.getByRole('alertdialog').textContent()).toMatch(new RegExp(`Delete the unreadable file ${brokenId}\\.json for good\\?`));
    await screenshot('29b-experiments-unreadable-delete', false, saved);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Keep' }).click();
    expect(readdirSync(folder)).toContain(`${brokenId}.json`);
    await page.getByRole('button', { name: 'Delete file…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('studies-notice').textContent()).toBe(`Deleted the unreadable file ${brokenId}.json.`);
    expect(readdirSync(folder).sort()).toEqual([`${blogId}.json`, `${newerId}.json`, `${twoId}.json`].sort());
    // The list is read again after the notice (asynchronously, in main): wait for it.
    await expect.poll(() => list.locator('optgroup option').allTextContents()).toEqual([`⚠ Cannot be read: ${newerId}.json`]);
    expect(await list.inputValue()).toBe('');

    // The newer file can be deleted too, after the same question.
    await list.selectOption(newerId);
    await page.getByRole('button', { name: 'Delete file…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('studies-notice').textContent()).toBe(`Deleted the unreadable file ${newerId}.json.`);
    expect(readdirSync(folder).sort()).toEqual([`${blogId}.json`, `${twoId}.json`].sort());
    await expect.poll(() => list.locator('optgroup').count()).toBe(0);

    // Opening a readable study clears the message.
    await list.selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Study' }).getByRole('alert').count()).toBe(0);
    expect(await title()).toBe('Two batch sizes');
  });

  it('Experiments: a saved study is renamed and deleted (after a confirmation) from the list; the open one follows', async () => {
    const folder = join(scratch, 'studies');
    const fileOf = (id: string): unknown => JSON.parse(readFileSync(join(folder, `${id}.json`), 'utf8'));
    const notice = () => page.getByTestId('studies-notice').textContent();
    const title = () => page.getByTestId('study-title').textContent();
    const saved = page.getByRole('region', { name: 'Saved studies' });
    const twoId = await savedIdOf('Two batch sizes');
    const blogId = await savedIdOf('Blog study');
    const before = fileOf(twoId) as Record<string, unknown>;

    // "Two batch sizes" is the study on screen: renaming it renames the title, the list and the file.
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByLabel('New name').fill('  Batch 64 vs 128 ');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(notice).toBe('Renamed to “Batch 64 vs 128”.');
    await expect.poll(title).toBe('Batch 64 vs 128');
    await expect.poll(() => page.getByLabel('Saved study').locator(`option[value="${twoId}"]`).textContent()).toMatch(/^Batch 64 vs 128 · 2 runs · /);
    expect(fileOf(twoId)).toEqual({ ...before, name: 'Batch 64 vs 128' });
    expect(readdirSync(folder).sort()).toEqual([`${blogId}.json`, `${twoId}.json`].sort());

    // A name with a hidden text-direction mark is refused with a message beside the list; nothing changes.
    await page.getByLabel('New name').fill('results‮txt.exe');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(notice).toBe('A study name cannot contain control characters (line breaks, tabs) or hidden text-direction marks.');
    expect(await page.getByTestId('studies-notice').getAttribute('role')).toBe('alert');
    expect((fileOf(twoId) as { name: string }).name).toBe('Batch 64 vs 128');
    await screenshot('24-experiments-rename', true, saved);

    // Deleting asks first, and Keep keeps the file; deleting another study leaves the one on screen.
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Delete…' }).click();
    expect(await page.getByRole('alertdialog').textContent()).toMatch(/Delete “Blog study” for good\?/);
    await screenshot('25-experiments-delete-confirm', true, saved);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Keep' }).click();
    expect(readdirSync(folder)).toContain(`${blogId}.json`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(notice).toBe('Deleted “Blog study”.');
    expect(readdirSync(folder)).toEqual([`${twoId}.json`]);
    await expect.poll(() => page.getByLabel('Saved study').locator('option').allTextContents()).toEqual(['Choose a study…', expect.stringMatching(/^Batch 64 vs 128 · /)]);
    expect(await title()).toBe('Batch 64 vs 128');

    // Deleting the study on screen closes it.
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(notice).toBe('Deleted “Batch 64 vs 128”.');
    await expect.poll(title).toBe('No study yet');
    expect(await rowStatuses()).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
    expect(await saved.textContent()).toMatch(/Every study is saved as it starts and when it ends\./);
    await screenshot('26-experiments-deleted', false, saved);
  });

  it('logged no console error, page error or CSP violation', async () => {
    await experiments.bridge.flushed();
    expect(experiments.app.problems).toEqual([]);
  });
});
