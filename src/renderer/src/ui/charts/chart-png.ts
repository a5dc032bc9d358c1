/**
 * A chart's picture as PNG bytes. Charts are drawn on a transparent canvas; a saved picture gets
 * the theme's background, so it reads the same outside the app.
 */
export async function chartPngBytes(canvas: HTMLCanvasElement, background: string): Promise<Uint8Array | null> {
  const flat = document.createElement('canvas');
  flat.width = canvas.width;
  flat.height = canvas.height;
  const context = flat.getContext('2d');
  if (!context) return null;
  context.fillStyle = background;
  context.fillRect(0, 0, flat.width, flat.height);
  context.drawImage(canvas, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => flat.toBlob(resolve, 'image/png'));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}
