/** Which test images the Evaluate screen lists, chosen from an evaluation report. */
import type { EvaluationReport } from '$shared/insight-api';

/** A cell of the confusion matrix. */
export interface Cell {
  truth: number;
  predicted: number;
}

/** The test images in one cell of the confusion matrix, by index. */
export function cellIndices(report: EvaluationReport, cell: Cell): number[] {
  const found: number[] = [];
  for (let i = 0; i < report.count; i++) if (report.labels[i] === cell.truth && report.predictions[i] === cell.predicted) found.push(i);
  return found;
}

/** The misclassified test images, most confident first (or least, with `mostConfident` false). */
export function misclassified(report: EvaluationReport, mostConfident: boolean): number[] {
  const wrong: number[] = [];
  for (let i = 0; i < report.count; i++) if (report.labels[i] !== report.predictions[i]) wrong.push(i);
  const confidence = (i: number): number => report.probabilities[i * report.classes + report.predictions[i]];
  return wrong.sort((a, b) => (mostConfident ? confidence(b) - confidence(a) : confidence(a) - confidence(b)) || a - b);
}

/** One image's probabilities, from the report. */
export function probabilitiesOf(report: EvaluationReport, index: number): Float32Array {
  return report.probabilities.subarray(index * report.classes, (index + 1) * report.classes);
}
