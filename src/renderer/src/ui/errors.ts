/**
 * The words of an error from main. Electron prefixes a rejected IPC call ("Error invoking remote
 * method 'lab:start-run': Error: …"); the user needs only the reason after it.
 */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
}
