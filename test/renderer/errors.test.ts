import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/renderer/src/ui/errors';

describe('error messages from main', () => {
  it('drop the prefix Electron adds to a rejected IPC call', () => {
    const rejected = new Error("Error invoking remote method 'lab:list-datasets': Error: The built-in MNIST could not be read: gone.");
    expect(errorMessage(rejected)).toBe('The built-in MNIST could not be read: gone.');
  });

  it('keep any other message as it is', () => {
    expect(errorMessage(new Error('Refused stop: it did not come from the MLP Lab window.'))).toBe(
      'Refused stop: it did not come from the MLP Lab window.',
    );
    expect(errorMessage('plain text')).toBe('plain text');
  });
});
