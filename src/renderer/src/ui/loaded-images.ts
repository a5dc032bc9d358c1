/** Images main sent for one request (a page of the Data screen, a gallery of the Evaluate screen). */
import type { ImagesResult } from '$shared/insight-api';

export type LoadedImages = Extract<ImagesResult, { ok: true }>;
