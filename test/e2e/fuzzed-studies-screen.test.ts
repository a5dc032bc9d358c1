/**
 * Study files damaged in ways that still parse as studies (a JSON object with a name, a date and a
 * list of runs, as a third of the format fuzzer's mutations are: a run's config, a curve or a count
 * replaced by a hostile value), opened on the Experiments screen in real Chromium with the real
 * study store: each shows as the study, or as a clear message, never as an error or a blank screen.
 * The files are made by the same seeded edits as the format fuzzer (test/helpers/json-fuzz.ts).
 * Any console error, page error, CSP violation, failed request or HTTP error fails the test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/nn/rng';
import { writeFileAtomic } from '../../src/node/atomic-write';
import { STUDY_FORMAT } from '../../src/shared/study-api';
import { editJson } from '../helpers/json-fuzz';
import { finishedStudy, studyIdOf } from '../helpers/study-fixture';
import { openExperimentsApp, type ExperimentsApp } from './experiments-app';
import { requireBuiltAppAndBrowser } from './e2e-env';
import { screenshotSizes } from './screenshots';

requireBuiltAppAndBrowser();

/** How many parseable fuzzed studies are opened. */
const STUDIES = 12;

/** Seeded fuzzed studies that still parse as studies, as files' texts by id, with their names. */
function fuzzedStudies(seed: number): { id: string; name: string; text: string }[] {
  const rng = new Rng(seed);
  const found: { id: string; name: string; text: string }[] = [];
  for (let attempt = 0; found.length < STUDIES && attempt < 1000; attempt++) {
    const id = studyIdOf(100 + found.length);
    const edited = JSON.parse(JSON.stringify({ format: STUDY_FORMAT, ...finishedStudy(1, `Fuzzed ${found.length + 1}`, [16, 32, 64]), id })) as Record<string, unknown>;
    for (let n = 1 + rng.int(3); n > 0; n--) editJson(rng, edited);
    // Parseable as a study by the list's first rule: a name, a date and a list of runs.
    const { name, createdAt, runs } = edited;
    if (typeof name === 'string' && typeof createdAt === 'string' && Array.isArray(runs)) found.push({ id, name, text: JSON.stringify(edited) });
  }
  return found;
}

describe('Fuzzed but parseable study files on the Experiments screen in Chromium', () => {
  let experiments: ExperimentsApp;
  let page: Page;

  beforeAll(async () => {
    experiments = await openExperimentsApp('mlp-lab-e2e-fuzzed-studies-');
    page = experiments.page;
    await page.waitForLoadState('networkidle');
  });

  afterAll(async () => {
    await experiments?.close();
  });

  it(`opens ${STUDIES} of them: each shows as its study or says what is wrong, never an error or a blank screen`, async () => {
    const studies = fuzzedStudies(29);
    expect(studies).toHaveLength(STUDIES);
    mkdirSync(experiments.studyFolder, { recursive: true });
    for (const { id, text } of studies) writeFileAtomic(join(experiments.studyFolder, `${id}.json`), new TextEncoder().encode(text));
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    const list = page.getByLabel('Saved study');
    await expect.poll(() => list.locator('option').count()).toBe(STUDIES + 1);

    const outcomes: string[] = [];
    for (const { id, name } of studies) {
      await list.selectOption(id);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      const study = page.getByRole('region', { name: 'Study' });
      // Either the study is on screen under its name, or the screen says why it is not.
      await expect
        .poll(async () => {
          if ((await page.getByTestId('study-title').count()) > 0 && (await page.getByTestId('study-title').textContent()) === name) return 'shown';
          const alert = study.getByRole('alert');
          if ((await alert.count()) > 0 && ((await alert.first().textContent()) ?? '').trim() !== '') return 'refused';
          return 'nothing yet';
        }, { message: id })
        .not.toBe('nothing yet');
      const outcome = (await page.getByTestId('study-title').count()) > 0 && (await page.getByTestId('study-title').textContent()) === name ? 'shown' : 'refused';
      if (outcome === 'refused') expect(await study.getByRole('alert').first().textContent(), id).toMatch(/^The saved study [0-9a-f]{32} cannot be read: .+\.$/);
      outcomes.push(outcome);
      // The screen is still whole: the tabs, the saved-study list and the setup form are there.
      expect(await page.getByRole('tab', { name: 'Experiments' }).isVisible()).toBe(true);
      expect(await list.isVisible()).toBe(true);
      expect(experiments.app.problems, id).toEqual([]);
    }
    await screenshotSizes(page, '31-experiments-fuzzed-study', true);
    // Both kinds occur among these seeded files: some open as studies, some are refused.
    expect(outcomes).toContain('shown');
    expect(outcomes).toContain('refused');
  });
});
