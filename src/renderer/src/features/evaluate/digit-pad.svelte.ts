/**
 * Draw-a-digit: the strokes drawn so far (for undo), the drawing made into an MNIST-like 28×28
 * input, and the model's probabilities for it.
 */
import { preprocessDigit } from '$engine/teaching/digit-preprocess';
import type { LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';

export type Point = [x: number, y: number];

/** The drawing surface's side in pixels, and the pen's width on it (about MNIST's stroke at 28×28). */
export const PAD_SIZE = 280;
export const PEN_WIDTH = 22;

export class DigitPad {
  strokes = $state.raw<Point[][]>([]);
  /** The preprocessed input, 28×28 bytes; null for an empty drawing. */
  input = $state.raw<Uint8Array | null>(null);
  probabilities = $state.raw<number[] | null>(null);
  message = $state<string | null>(null);
  private pending = false;
  private again = false;

  constructor(private readonly lab: LabApi) {}

  begin(point: Point): void {
    this.strokes = [...this.strokes, [point]];
  }

  extend(point: Point): void {
    const last = this.strokes.at(-1);
    if (last === undefined) return;
    this.strokes = [...this.strokes.slice(0, -1), [...last, point]];
  }

  undo(): void {
    this.strokes = this.strokes.slice(0, -1);
  }

  clear(): void {
    this.strokes = [];
  }

  /**
   * Classifies the drawing, given as ink levels (0–255, PAD_SIZE²). At most one prediction is on
   * its way; a drawing that changes meanwhile is classified once that one is back.
   */
  async classify(ink: Uint8Array): Promise<void> {
    const result = preprocessDigit({ pixels: ink, width: PAD_SIZE, height: PAD_SIZE });
    if (result.status === 'empty') {
      this.input = null;
      this.probabilities = null;
      this.message = null;
      return;
    }
    this.input = result.image;
    if (this.pending) {
      this.again = true;
      return;
    }
    this.pending = true;
    try {
      do {
        this.again = false;
        const image = this.input;
        if (image === null) break;
        const answer = await this.lab.predict(Float32Array.from(image, (v) => v / 255));
        this.probabilities = answer.ok ? answer.probabilities : null;
        this.message = answer.ok ? null : answer.message;
      } while (this.again);
    } catch (error) {
      this.message = errorMessage(error);
    } finally {
      this.pending = false;
    }
  }
}
