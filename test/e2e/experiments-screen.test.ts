/**
 * The Experiments screen end to end in real Chromium, bridged to the real main-side handlers
 * (experiments-app.ts): a study's runs each fork the real built worker under Node and train on the
 * real MNIST; runs are cancelled one by one and all at once; a finished study draws its curves,
 * exports CSV and PNG, times its runs to a target that can be changed afterwards, and reopens (one
 * saved before epochs kept their times, too). Managing saved studies (renaming, deleting,
 * unreadable files) is saved-studies-screen.test.ts.
 * Any console error, page error, CSP violation, failed request or HTTP error fails the test.
 * Screenshots go to test-output/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../src/node/engine-supervisor';
import type { StudyService } from '../../src/main/study-service';
import type { StudyData } from '../../src/shared/study-api';
import { writeFileAtomic } from '../../src/node/atomic-write';
import type { AppPage } from './app-page';
import { openExperimentsApp, type ExperimentsApp } from './experiments-app';
import type { LabBridge } from './lab-bridge';
import { requireBuiltAppAndBrowser } from './e2e-env';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

describe('Experiments screen in Chromium, with the real study service and workers', () => {
  let experiments: ExperimentsApp;
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let studies: StudyService;
  let studyWorkers: WorkerHandle[];
  let exported: string[];
  let scratch: string;

  beforeAll(async () => {
    experiments = await openExperimentsApp('mlp-lab-e2e-experiments-');
    ({ app, page, bridge, studies, studyWorkers, exported, scratch } = experiments);
  });

  afterAll(async () => {
    await experiments?.close();
  });

  const screenshot = (name: string, both = true, inView?: Locator) => screenshotSizes(page, name, both, inView);
  const savedIdOf = (name: string): Promise<string> => experiments.savedIdOf(name);
  const rowStatuses = () => experiments.rowStatuses();

  it('Experiments: the blog study is 4 + 4 + 3 curves in 9 runs; runs can be cancelled one by one and all at once', async () => {
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await expect.poll(() => page.getByTestId('study-plan').textContent()).toMatch(/^2 runs/);
    await screenshot('20-experiments-empty');
    await page.getByRole('button', { name: /Blog study/ }).click();
    expect(await page.getByTestId('study-plan').textContent()).toMatch(/^9 runs/);
    expect(await page.getByTestId('blog-note').textContent()).toMatch(/4 \+ 4 \+ 3 = 11 curves/);
    // Long enough that no run can finish during the steps below, however fast the machine: every
    // run is cancelled in the end (with 1 epoch, two runs sometimes completed first).
    await page.getByLabel('Study epochs').fill('50');
    await page.getByTestId('start-study').click();
    await expect.poll(rowStatuses, { timeout: 30_000 }).toContain('running');
    expect((await rowStatuses()).length).toBe(9);

    // A reloaded window does not know the study is running: asked to delete it, main refuses and
    // says why. Reopened, the study shows as running and its Rename and Delete… are disabled.
    const blogId = await savedIdOf('Blog study');
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('studies-notice').textContent()).toBe(
      'The study "Blog study" is still running; cancel it or wait for it to finish before deleting it.',
    );
    expect((await studies.list()).map((s) => s.id)).toContain(blogId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Blog study');
    await expect.poll(rowStatuses).toContain('running');
    expect(await page.getByRole('button', { name: 'Delete…' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Rename', exact: true }).isDisabled()).toBe(true);
    // The "Time to" target can be changed while the study runs, too.
    await page.getByLabel('Target accuracy % for the Time to column').fill('50');
    await expect.poll(() => page.getByRole('columnheader', { name: /^Time to/ }).textContent()).toMatch(/^\s*Time to 50 %\s*$/);
    await page.getByLabel('Runs shown').selectOption({ label: 'learningRate sweep (4 curves)' });
    await page.getByRole('button', { name: 'Cancel run 9' }).click();
    await expect.poll(() => page.locator('tr[data-status="cancelled"]').count()).toBe(1);
    await page.getByTestId('cancel-study').click();
    await expect.poll(() => page.locator('tr[data-status="cancelled"]').count(), { timeout: 10_000 }).toBe(9);
    await expect.poll(() => page.getByTestId('cancel-study').isDisabled()).toBe(true);
    // The study has ended: the refusal to delete it while it ran is gone, and Delete… works again.
    await expect.poll(() => page.getByTestId('studies-notice').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete…' }).isDisabled()).toBe(false);
    await screenshot('21-experiments-blog-cancelled', false);
    // Every engine process of the study has ended.
    await expect.poll(() => studyWorkers.length).toBeGreaterThan(0);
  });

  it('Experiments: a real two-run study on MNIST trains in parallel engines, draws both curves, exports CSV and PNG, and reopens', async () => {
    // The blog study is shown, so its setup form is folded: unfold it for the next study.
    await page.getByTestId('toggle-setup').click();
    await page.getByRole('button', { name: 'Default', exact: true }).click();
    // 784-16-10 is given as the hidden widths varied over one value, with two batch sizes.
    await page.getByLabel('Vary Batch size').fill('64, 128');
    await page.getByLabel('Vary Hidden widths').fill('16');
    await page.getByLabel('Study epochs').fill('1');
    await page.getByLabel('Study name').fill('Two batch sizes');
    await expect.poll(() => page.getByTestId('study-plan').textContent()).toMatch(/^2 runs/);
    const before = studyWorkers.length;
    await page.getByTestId('start-study').click();
    await expect.poll(rowStatuses, { timeout: 90_000 }).toEqual(['completed', 'completed']);
    expect(studyWorkers.length).toBe(before + 2);
    await expect.poll(() => page.getByTestId('study-chart').getAttribute('data-lines')).toBe('2');
    await page.getByLabel('Metric').selectOption({ label: 'Test accuracy / epoch' });
    await page.getByLabel('Metric').selectOption({ label: 'Loss / iteration' });
    const accuracies = await page.locator('[data-testid="study-table"] tbody tr td:nth-child(4)').allTextContents();
    for (const text of accuracies) expect(Number.parseFloat(text)).toBeGreaterThan(80);
    await screenshot('22-experiments-study');

    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => page.getByTestId('export-note').textContent()).toMatch(/two-batch-sizes\.csv/);
    const csv = readFileSync(exported.at(-1) ?? '', 'utf8').split('\r\n');
    expect(csv[0]).toBe('run,label,batchSize,hidden,finalTestAccuracy,bestEpoch,bestTestAccuracy,finalTrainLoss,wallSeconds,secondsToAccuracy0.9,status');
    expect(csv[1]).toMatch(/^1,"batchSize=64, hidden=16",64,16,0\.\d+,1,/);
    await page.getByRole('button', { name: 'Export PNG' }).click();
    // The chart is now drawn at least 26rem tall (issue 13), so its PNG takes longer to encode than poll's default second.
    await expect.poll(() => exported.at(-1) ?? '', { timeout: 10_000 }).toMatch(/\.png$/);
    expect([...readFileSync(exported.at(-1) ?? '').subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    // The "Time to" column's target can be changed afterwards (here 1 epoch: a run reaches a target
    // at its only epoch or never): the header, the times, their sorting and the CSV follow it.
    const timeTarget = page.getByLabel('Target accuracy % for the Time to column');
    const timeHeader = page.getByRole('columnheader', { name: /^Time to/ });
    const timeCells = () => page.locator('[data-testid="study-table"] tbody tr td:nth-child(8)').allTextContents();
    const runHeader = page.getByTestId('study-table').getByRole('button', { name: /^Run/ });
    const targetNote = () => page.getByTestId('time-target-note').textContent();
    const percents = accuracies.map((text) => Number.parseFloat(text));
    expect(await timeTarget.inputValue()).toBe('90');
    expect(await targetNote()).toBe("The study's own target; type another to time it.");
    expect(await timeHeader.textContent()).toMatch(/^\s*Time to 90 %\s*$/);
    const at90 = await timeCells();
    await timeTarget.fill('10');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 10 %\s*$/);
    const at10 = await timeCells();
    for (const text of at10) expect(text).toMatch(/^\d+\.\d s$/);
    // Where the study's own 90 % was reached, it was at that same epoch: the same time.
    expect(at90).toEqual(percents.map((p, i) => (p >= 90 ? at10[i] : '—')));
    expect(await targetNote()).toBe("Timed from each epoch's end; the study's own target is 90 %.");
    // The best run's accuracy exactly is reached by it (and by any run as good), not by the others.
    const best = Math.max(...percents);
    await timeTarget.fill(String(best));
    await expect.poll(() => timeHeader.textContent()).toMatch(new RegExp(`^\\s*Time to ${best} %\\s*$`));
    expect(await timeCells()).toEqual(percents.map((p, i) => (p >= best ? at10[i] : '—')));
    await screenshot('27-experiments-time-target', true, timeTarget);
    await timeTarget.fill('100');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 100 %\s*$/);
    expect(await timeCells()).toEqual(['—', '—']);
    // From the keyboard: the box comes just before the table's headers in the tab order; typing and
    // the arrow keys change the target.
    await runHeader.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await timeTarget.evaluate((box) => box === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('10');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 10 %\s*$/);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 11 %\s*$/);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 10 %\s*$/);
    // Sorted by the time to 10 %, quickest first.
    await timeHeader.getByRole('button').click();
    expect(await timeHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await timeCells()).toEqual([...at10].sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b)));
    await runHeader.click();
    expect(await timeCells()).toEqual(at10);

    // Invalid targets keep the last valid one, and say so beside the box.
    for (const [typed, problem] of [
      ['', 'The target must be a number above 0 and at most 100, e.g. 95.'],
      ['0', 'The target must be a number above 0 and at most 100; got 0.'],
      ['-3', 'The target must be a number above 0 and at most 100; got -3.'],
      ['150', 'The target must be a number above 0 and at most 100; got 150.'],
    ] as const) {
      await timeTarget.fill(typed);
      await expect.poll(targetNote).toBe(`${problem} The column keeps 10 %.`);
      expect(await timeTarget.getAttribute('aria-invalid')).toBe('true');
      expect(await timeHeader.textContent()).toMatch(/^\s*Time to 10 %\s*$/);
      expect(await timeCells()).toEqual(at10);
    }
    await screenshot('28-experiments-time-target-invalid', false, timeTarget);

    // The CSV has the times to the target shown, under its name.
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => exported.at(-1) ?? '').toMatch(/two-batch-sizes\.csv$/);
    const timedCsv = readFileSync(exported.at(-1) ?? '', 'utf8').split('\r\n');
    expect(timedCsv[0]).toBe('run,label,batchSize,hidden,finalTestAccuracy,bestEpoch,bestTestAccuracy,finalTrainLoss,wallSeconds,secondsToAccuracy0.1,status');
    for (const [i, shown] of at10.entries()) {
      const [, wall, toTarget] = timedCsv[i + 1].match(/,([\d.]+),([\d.]+),completed$/) ?? [];
      expect(`${Number(toTarget).toFixed(1)} s`).toBe(shown);
      expect(Number(toTarget)).toBeLessThanOrEqual(Number(wall));
    }
    await timeTarget.fill('90');
    await expect.poll(timeCells).toEqual(at90);

    // Sort by final test accuracy (best first), then reopen the saved study.
    await page.getByRole('button', { name: /Final test acc/ }).click();
    expect((await studies.list())).toContainEqual(expect.objectContaining({ status: 'ok', name: 'Two batch sizes' }));
    const blogId = await savedIdOf('Blog study');
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Blog study');
    // The other study's export note went with it; a sweep chosen here is not kept for the next study.
    expect(await page.getByTestId('export-note').count()).toBe(0);
    await page.getByLabel('Runs shown').selectOption({ label: 'learningRate sweep (4 curves)' });
    await expect.poll(() => page.getByTestId('study-chart').getAttribute('data-lines')).toBe('4');
    const twoId = await savedIdOf('Two batch sizes');
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Two batch sizes');
    await expect.poll(() => page.getByTestId('study-chart').getAttribute('data-lines')).toBe('2');
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Blog study');
    expect(await page.getByLabel('Runs shown').inputValue()).toBe('');
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Two batch sizes');
    await expect.poll(() => page.getByTestId('study-chart').getAttribute('data-lines')).toBe('2');
    await page.getByRole('button', { name: 'Dark' }).click();
    await screenshot('23-experiments-dark', false);
    await page.getByRole('button', { name: 'Auto' }).click();
  });

  it('Experiments: a study saved before epochs kept their times opens as it did; another target shows "—" and says why', async () => {
    const folder = join(scratch, 'studies');
    const twoId = await savedIdOf('Two batch sizes');
    const two = JSON.parse(readFileSync(join(folder, `${twoId}.json`), 'utf8')) as StudyData;
    expect(two.runs[0].epochs[0].secondsSinceStart).toEqual(expect.any(Number));
    // The same study as an MLP Lab without per-epoch times saved it.
    const olderId = '0123456789abcdef0123456789abcdef';
    const older: StudyData = {
      ...two,
      id: olderId,
      name: 'Saved last term',
      createdAt: '2025-01-02T03:04:05.000Z',
      runs: two.runs.map((run) => ({ ...run, epochs: run.epochs.map(({ secondsSinceStart: _s, ...metrics }) => metrics) })),
    };
    writeFileAtomic(join(folder, `${olderId}.json`), new TextEncoder().encode(JSON.stringify(older)));
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.getByLabel('Saved study').selectOption(olderId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Saved last term');

    const timeTarget = page.getByLabel('Target accuracy % for the Time to column');
    const timeHeader = page.getByRole('columnheader', { name: /^Time to/ });
    const timeCells = page.locator('[data-testid="study-table"] tbody tr td:nth-child(8)');
    const targetNote = () => page.getByTestId('time-target-note').textContent();
    // Its own target shows exactly what it showed before.
    const own = two.runs.map((run) => (run.secondsToTarget === null ? '—' : `${run.secondsToTarget.toFixed(1)} s`));
    expect(await timeHeader.textContent()).toMatch(/^\s*Time to 90 %\s*$/);
    expect(await timeCells.allTextContents()).toEqual(own);
    expect(await timeCells.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')))).toEqual([null, null]);

    // Another target cannot be timed: "—", never a number, with the reason on each cell and beside the box.
    await timeTarget.fill('10');
    await expect.poll(() => timeHeader.textContent()).toMatch(/^\s*Time to 10 %\s*$/);
    expect(await timeCells.allTextContents()).toEqual(['—', '—']);
    const reason = "Not recorded: this study was saved without each epoch's time, so only its own target, 90 %, can be timed.";
    expect(await timeCells.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')))).toEqual([reason, reason]);
    expect(await targetNote()).toBe("This study was saved without each epoch's time: only its own target, 90 %, can be timed.");
    expect(await timeTarget.getAttribute('aria-invalid')).toBe('false');
    await screenshot('29-experiments-older-study', true, timeTarget);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => exported.at(-1) ?? '').toMatch(/saved-last-term\.csv$/);
    const csv = readFileSync(exported.at(-1) ?? '', 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/,secondsToAccuracy0\.1,status$/);
    // An unknown time is an empty field, as for a run that never reached the target.
    for (const row of csv.slice(1, 3)) expect(row).toMatch(/,[\d.]+,,completed$/);
    await timeTarget.fill('90');
    await expect.poll(() => timeCells.allTextContents()).toEqual(own);

    // Back to the study, without the older copy.
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Two batch sizes');
    expect(studies.delete(olderId)).toEqual({ ok: true });
  });

  it('logged no console error, page error or CSP violation', async () => {
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });
});
