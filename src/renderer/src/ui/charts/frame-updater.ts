/**
 * Coalesces update requests to at most one per animation frame: progress may arrive many times a
 * frame's worth, but a chart redraws only when the screen can show it.
 */
export interface FrameUpdater {
  request(): void;
  cancel(): void;
}

export function frameUpdater(update: () => void): FrameUpdater {
  let frame: number | null = null;
  return {
    request() {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        update();
      });
    },
    cancel() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
    },
  };
}
