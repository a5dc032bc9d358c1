/**
 * What the app looked like before a lesson, taken part by part as the lesson first changes each
 * part, and put back part by part when it ends: the screen, the Train form and dataset, the study
 * setup, the perceptron's points and settings, and the backprop image. What the lesson never
 * touched is left as the user has it now.
 */
import type { RunConfig } from '$engine/training/run-config';
import type { PerceptronSetup } from '../perceptron/perceptron-lab.svelte';
import type { StudyDraftSetup } from '../experiments/study-draft.svelte';
import type { LessonScreen } from '$shared/lesson/lesson-controls';
import type { LessonTargets } from './lesson-targets';

export interface AppSnapshot {
  screen: LessonScreen;
  config?: RunConfig;
  datasetId?: string;
  draft?: StudyDraftSetup;
  perceptron?: PerceptronSetup;
  backprop?: { offset: number; chosen: number };
}

export type SnapshotPart = 'config' | 'datasetId' | 'draft' | 'perceptron' | 'backprop';

/** Records a part the first time the lesson is about to change it. */
export function keepPart(snapshot: AppSnapshot, part: SnapshotPart, targets: LessonTargets): void {
  if (snapshot[part] !== undefined) return;
  switch (part) {
    case 'config':
      snapshot.config = structuredClone($state.snapshot(targets.form.config));
      break;
    case 'datasetId':
      snapshot.datasetId = targets.datasets.selectedId;
      break;
    case 'draft':
      snapshot.draft = targets.draft.setup();
      break;
    case 'perceptron':
      snapshot.perceptron = targets.perceptron.setup();
      break;
    case 'backprop':
      snapshot.backprop = { offset: targets.backprop.offset, chosen: targets.backprop.chosen };
      break;
  }
}

/** Puts back every part the snapshot holds, and the screen. */
export async function restoreSnapshot(snapshot: AppSnapshot, targets: LessonTargets, datasetId: () => string | null): Promise<void> {
  if (snapshot.datasetId !== undefined && targets.datasets.list.some((d) => d.id === snapshot.datasetId)) targets.datasets.selectedId = snapshot.datasetId;
  if (snapshot.config !== undefined) targets.form.config = snapshot.config;
  if (snapshot.draft !== undefined) targets.draft.restore(snapshot.draft);
  if (snapshot.perceptron !== undefined) targets.perceptron.restore(snapshot.perceptron);
  targets.showScreen(snapshot.screen);
  if (snapshot.backprop !== undefined) {
    const { offset, chosen } = snapshot.backprop;
    if (targets.backprop.offset !== offset) await targets.backprop.showImage(offset, null, datasetId());
    targets.backprop.choose(chosen);
  }
}
