/**
 * PNG and JPEG files decoded to RGBA with maintained pure-JavaScript decoders (pngjs, jpeg-js), so
 * the CLI reads a photo of a digit the way the app's draw pad reads a dropped one. Bounded: a file
 * over IMAGE_MAX_BYTES is not read, and a picture over IMAGE_MAX_PIXELS is refused from its header,
 * before its pixels are decoded.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../engine/teaching/image-ink';

/** The largest image file read: far above any photo of one digit. */
export const IMAGE_MAX_BYTES = 32 * 1024 * 1024;
/** The most pixels decoded (a 40-megapixel photo): 160 MB of RGBA. */
export const IMAGE_MAX_PIXELS = 40_000_000;

/** The file extensions the CLI picks from a folder. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

export class ImageFileError extends Error {
  override name = 'ImageFileError';
}

/** Reads and decodes a PNG or JPEG file; any problem is an ImageFileError naming the file. */
export function readImageFile(path: string): RgbaImage {
  const name = basename(path);
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new ImageFileError(`${path} is a folder, not an image.`);
    size = stats.size;
  } catch (error) {
    if (error instanceof ImageFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageFileError(`Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  if (size > IMAGE_MAX_BYTES) throw new ImageFileError(`${name} is ${(size / 1024 / 1024).toFixed(0)} MB; images of up to ${IMAGE_MAX_BYTES / 1024 / 1024} MB are read.`);
  return decodeImage(readFileSync(path), name);
}

/** Decodes PNG or JPEG bytes, told apart by their signature, not by the file's name. */
export function decodeImage(bytes: Uint8Array, name: string): RgbaImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (isPng(bytes)) return decodePng(buffer, name);
    if (isJpeg(bytes)) return decodeJpeg(buffer, name);
  } catch (error) {
    if (error instanceof ImageFileError) throw error;
    throw new ImageFileError(`${name} could not be decoded: ${error instanceof Error ? error.message : String(error)}.`);
  }
  throw new ImageFileError(`${name} is neither a PNG nor a JPEG image.`);
}

function isPng(bytes: Uint8Array): boolean {
  return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function decodePng(buffer: Buffer, name: string): RgbaImage {
  // IHDR is always the first chunk: width and height are the big-endian words at bytes 16 and 20.
  if (buffer.length >= 24) checkPixels(buffer.readUInt32BE(16), buffer.readUInt32BE(20), name);
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

function decodeJpeg(buffer: Buffer, name: string): RgbaImage {
  const decoded = jpeg.decode(buffer, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: IMAGE_MAX_PIXELS / 1_000_000,
    maxMemoryUsageInMB: 512,
  });
  checkPixels(decoded.width, decoded.height, name);
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

function checkPixels(width: number, height: number, name: string): void {
  if (width * height > IMAGE_MAX_PIXELS) {
    throw new ImageFileError(`${name} is ${width}×${height} pixels; pictures of up to ${IMAGE_MAX_PIXELS / 1_000_000} megapixels are read.`);
  }
}
