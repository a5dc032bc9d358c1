/**
 * The Experiments screen end to end in real Chromium, bridged to the real main-side handlers: a
 * study's runs each fork the real built worker under Node and train on the real MNIST; runs are
 * cancelled one by one and all at once; a finished study draws its curves, exports CSV and PNG,
 * times its runs to a target that can be changed afterwards, and reopens (one saved before epochs
 * kept their times, too); studies are saved to a temporary folder, where they are renamed and
 * deleted, and where a file from a newer MLP Lab and a broken one are listed as unreadable, refused
 * and deleted. Exports are written where a save dialog would have put them.
 * Any console error, page error, CSP violation, failed request or HTTP error fails the test.
 * Screenshots go to test-output/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createEngineSupervisor, type EngineSupervisor, type WorkerHandle } from '../../src/main/engine-supervisor';
import { createLabHandlers } from '../../src/main/ipc-handlers';
import { createSupervisedRunStarter } from '../../src/main/study-run-starter';
import { createStudyService, type StudyService } from '../../src/main/study-service';
import { createStudyStore } from '../../src/main/study-store';
import type { StudyData } from '../../src/shared/study-api';
import { writeFileAtomic } from '../../src/node/atomic-write';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { forkNodeWorker } from '../../src/node/fork-node';
import { openAppPage, type AppPage } from './app-page';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { WORKER_PATH, requireBuiltAppAndBrowser } from './e2e-env';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

describe('Experiments screen in Chromium, with the real study service and workers', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  let studies: StudyService;
  const studyWorkers: WorkerHandle[] = [];
  const exported: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'mlp-lab-e2e-experiments-'));

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;

    engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge.deliver(event) });
    studies = createStudyService({
      store: createStudyStore(join(scratch, 'studies')),
      emit: (event) => bridge.deliverStudy(event),
      parallel: availableParallelism(),
    });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    const handlers = createLabHandlers({
      appPageUrl: app.url,
      datasets,
      engine,
      studies: {
        studies,
        runStarter: (dataset) =>
          createSupervisedRunStarter({
            fork: () => {
              const worker = forkNodeWorker(WORKER_PATH);
              studyWorkers.push(worker);
              return worker;
            },
            dataset,
          }),
        // Where a save dialog would have put the file.
        saveExport: async (request) => {
          const path = join(scratch, request.suggestedName);
          writeFileAtomic(path, typeof request.content === 'string' ? new TextEncoder().encode(request.content) : request.content);
          exported.push(path);
          return { status: 'saved', path };
        },
      },
    });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    studies?.dispose();
    engine?.dispose();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const screenshot = (name: string, both = true, inView?: Locator) => screenshotSizes(page, name, both, inView);
  /** The id of the readable saved study of that name ('' when there is none). */
  const savedIdOf = (name: string): string => studies.list().find((s) => s.status === 'ok' && s.name === name)?.id ?? '';
  const rowStatuses = () => page.locator('[data-testid="study-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));

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
    const blogId = savedIdOf('Blog study');
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('studies-notice').textContent()).toBe(
      'The study "Blog study" is still running; cancel it or wait for it to finish before deleting it.',
    );
    expect(studies.list().map((s) => s.id)).toContain(blogId);
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
    await expect.poll(() => exported.at(-1) ?? '').toMatch(/\.png$/);
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
    expect(studies.list()).toContainEqual(expect.objectContaining({ status: 'ok', name: 'Two batch sizes' }));
    const blogId = savedIdOf('Blog study');
    await page.getByLabel('Saved study').selectOption(blogId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Blog study');
    // The other study's export note went with it; a sweep chosen here is not kept for the next study.
    expect(await page.getByTestId('export-note').count()).toBe(0);
    await page.getByLabel('Runs shown').selectOption({ label: 'learningRate sweep (4 curves)' });
    await expect.poll(() => page.getByTestId('study-chart').getAttribute('data-lines')).toBe('4');
    const twoId = savedIdOf('Two batch sizes');
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
    const twoId = savedIdOf('Two batch sizes');
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

    // Back to the study the next test renames, without the older copy.
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('study-title').textContent()).toBe('Two batch sizes');
    expect(studies.delete(olderId)).toEqual({ ok: true });
  });

  it('Experiments: a study file from a newer MLP Lab and a broken one are listed as unreadable; Open says why and opens nothing; Delete removes them', async () => {
    const folder = join(scratch, 'studies');
    const list = page.getByLabel('Saved study');
    const saved = page.getByRole('region', { name: 'Saved studies' });
    const problem = () => page.getByTestId('study-file-problem').textContent();
    const openMessage = () => page.getByRole('region', { name: 'Study' }).getByRole('alert').textContent();
    const title = () => page.getByTestId('study-title').textContent();
    const twoId = savedIdOf('Two batch sizes');
    const blogId = savedIdOf('Blog study');
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
    expect(await list.locator('optgroup option').allTextContents()).toEqual([`⚠ Cannot be read: ${newerId}.json`]);
    expect(await list.inputValue()).toBe('');

    // The newer file can be deleted too, after the same question.
    await list.selectOption(newerId);
    await page.getByRole('button', { name: 'Delete file…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.getByTestId('studies-notice').textContent()).toBe(`Deleted the unreadable file ${newerId}.json.`);
    expect(readdirSync(folder).sort()).toEqual([`${blogId}.json`, `${twoId}.json`].sort());
    expect(await list.locator('optgroup').count()).toBe(0);

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
    const twoId = savedIdOf('Two batch sizes');
    const blogId = savedIdOf('Blog study');
    const before = fileOf(twoId) as Record<string, unknown>;

    // "Two batch sizes" is the study on screen: renaming it renames the title, the list and the file.
    await page.getByLabel('Saved study').selectOption(twoId);
    await page.getByLabel('New name').fill('  Batch 64 vs 128 ');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect.poll(notice).toBe('Renamed to “Batch 64 vs 128”.');
    await expect.poll(title).toBe('Batch 64 vs 128');
    expect(await page.getByLabel('Saved study').locator(`option[value="${twoId}"]`).textContent()).toMatch(/^Batch 64 vs 128 · 2 runs · /);
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
    expect(await page.getByLabel('Saved study').locator('option').allTextContents()).toEqual(['Choose a study…', expect.stringMatching(/^Batch 64 vs 128 · /)]);
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
    await bridge.flushed();
    expect(app.problems).toEqual([]);
  });
});
