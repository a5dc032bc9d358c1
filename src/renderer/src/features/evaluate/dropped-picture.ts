/**
 * A picture file dropped on draw-a-digit, decoded by the browser's own image decoder in this
 * sandboxed page: the bytes never go to the main process, and no path or file access is needed
 * (a dropped File is readable by the page that received the drop). Bounded: a file over
 * DROP_MAX_BYTES is refused unread, and a picture is drawn at most DROP_MAX_SIDE pixels on its
 * longer side before its pixels are read (preprocessing fits the digit into 20×20 anyway).
 */
import type { RgbaImage } from '$engine/teaching/image-ink';

export const DROP_MAX_BYTES = 32 * 1024 * 1024;
export const DROP_MAX_SIDE = 1024;

/** A decoded picture and what the user should be told about it. */
export interface DroppedPicture {
  name: string;
  /** Its size as stored, before any scaling down. */
  width: number;
  height: number;
  rgba: RgbaImage;
}

export async function decodeDroppedPicture(file: File): Promise<DroppedPicture> {
  const isPicture = /^image\/(png|jpeg)$/.test(file.type) || /\.(png|jpe?g)$/i.test(file.name);
  if (!isPicture) throw new Error(`${file.name} is not a PNG or JPEG picture.`);
  if (file.size > DROP_MAX_BYTES) throw new Error(`${file.name} is ${(file.size / 1024 / 1024).toFixed(0)} MB; pictures of up to ${DROP_MAX_BYTES / 1024 / 1024} MB are read.`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} could not be decoded as a picture.`);
  }
  try {
    const { width, height } = bitmap;
    const scale = Math.min(1, DROP_MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('This window cannot draw pictures.');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, w, h);
    return { name: file.name, width, height, rgba: { width: w, height: h, data: context.getImageData(0, 0, w, h).data } };
  } finally {
    bitmap.close();
  }
}
