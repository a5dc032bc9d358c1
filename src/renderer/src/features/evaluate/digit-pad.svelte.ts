/**
 * Draw-a-digit: the strokes drawn so far (for undo), the drawing made into an MNIST-like 28×28
 * input, and the model's probabilities for it.
 */
import { preprocessDigit } from '$engine/teaching/digit-preprocess';
import type { LabApi } from '$shared/lab-api';
import { errorMessage } from '$ui/errors';
import { inkFromRgba } from '$engine/teaching/image-ink';
import { decodeDroppedPicture } from './dropped-picture';

export type Point = [x: number, y: number];

/** The drawing surface's side in pixels, and the pen's width on it (about MNIST's stroke at 28×28). */
export const PAD_SIZE = 280;
export const PEN_WIDTH = 22;

/** A picture dropped on the pad, as the pad describes it. */
export interface PictureSource {
  name: string;
  width: number;
  height: number;
  /** Dark ink on light paper, so inverted for the model. */
  inverted: boolean;
}

export class DigitPad {
  strokes = $state.raw<Point[][]>([]);
  /** The picture being classified instead of a drawing; null while drawing. */
  picture = $state.raw<PictureSource | null>(null);
  /** Why the last dropped file could not be classified; cleared by the next drop. */
  dropProblem = $state<string | null>(null);
  /** The preprocessed input, 28×28 bytes; null for an empty drawing. */
  input = $state.raw<Uint8Array | null>(null);
  probabilities = $state.raw<number[] | null>(null);
  message = $state<string | null>(null);
  private pending = false;
  private again = false;

  constructor(private readonly lab: LabApi) {}

  begin(point: Point): void {
    this.picture = null;
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
    this.picture = null;
    this.strokes = [];
  }

  /**
   * Classifies a dropped PNG or JPEG the way the CLI's `predict --image` does: grey by luminance,
   * polarity from the border, then the same preprocessing as a drawing, which it replaces. A file
   * that is no picture of a digit leaves the pad as it was and says why.
   */
  async classifyFile(file: File): Promise<void> {
    this.dropProblem = null;
    try {
      const picture = await decodeDroppedPicture(file);
      const ink = inkFromRgba(picture.rgba);
      const result = preprocessDigit(ink);
      if (result.status === 'empty') {
        this.dropProblem = `${picture.name} shows no digit: the picture is one flat colour.`;
        return;
      }
      this.picture = { name: picture.name, width: picture.width, height: picture.height, inverted: ink.inverted };
      if (this.strokes.length > 0) this.strokes = [];
      await this.predict(result.image);
    } catch (error) {
      this.dropProblem = errorMessage(error);
    }
  }

  /**
   * Classifies the drawing, given as ink levels (0–255, PAD_SIZE²). At most one prediction is on
   * its way; a drawing that changes meanwhile is classified once that one is back.
   */
  async classify(ink: Uint8Array): Promise<void> {
    // A dropped picture is shown until the next stroke: the blank pad under it is not a drawing.
    if (this.picture !== null) return;
    const result = preprocessDigit({ pixels: ink, width: PAD_SIZE, height: PAD_SIZE });
    if (result.status === 'empty') {
      this.input = null;
      this.probabilities = null;
      this.message = null;
      return;
    }
    await this.predict(result.image);
  }

  /** Asks the model about a 28×28 input (bytes, ink high), keeping at most one question on its way. */
  private async predict(input: Uint8Array): Promise<void> {
    this.input = input;
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
