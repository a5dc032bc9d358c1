import type { Kernels } from '../kernels/kernels';

/**
 * A per-layer scratch buffer that grows to the largest batch seen and is then reused, so that the
 * training loop allocates nothing per batch. It hands out a view of exactly rows × width numbers,
 * so a consumer can trust `.length`.
 */
export class BatchBuffer {
  private storage: Float32Array;
  private capacityRows = 0;
  private view: Float32Array;
  private viewRows = 0;

  constructor(
    private readonly kernels: Kernels,
    /** Numbers per row (per sample). */
    private readonly width: number,
  ) {
    this.storage = kernels.createBuffer(0);
    this.view = this.storage;
  }

  /** A buffer of exactly rows × width numbers (contents unspecified). */
  forRows(rows: number): Float32Array {
    if (rows === this.viewRows && this.view.length === rows * this.width) return this.view;
    if (rows > this.capacityRows) {
      this.storage = this.kernels.createBuffer(rows * this.width);
      this.capacityRows = rows;
    }
    this.view = this.storage.subarray(0, rows * this.width);
    this.viewRows = rows;
    return this.view;
  }
}
