// Lesson files handed to the app by the operating system: found on a command line (first or
// second launch) by their extension, wherever Chromium put the switches, and kept until asked for.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLessonInbox, lessonPathFromArgv } from '../../src/main/lesson-launch';

describe('the lesson file on a command line', () => {
  it('is the last .mlplesson argument, made absolute against the launch folder', () => {
    expect(lessonPathFromArgv(['/opt/mlp-lab/mlp-lab', 'class.mlplesson'], '/home/t')).toBe(join('/home/t', 'class.mlplesson'));
    expect(lessonPathFromArgv(['mlp-lab', '/tmp/a.mlplesson', 'b/B.MLPLESSON'], '/w')).toBe(join('/w', 'b/B.MLPLESSON'));
    // A second launch's argv, switches inserted by Chromium around the path.
    expect(lessonPathFromArgv(['mlp-lab', '--allow-file-access-from-files', '/data/x.mlplesson', '--enable-avfoundation'], '/')).toBe('/data/x.mlplesson');
  });

  it('is nothing when no argument names a lesson (the executable itself is never one)', () => {
    expect(lessonPathFromArgv(['mlp-lab'], '/w')).toBeNull();
    expect(lessonPathFromArgv(['/apps/x.mlplesson'], '/w')).toBeNull();
    expect(lessonPathFromArgv(['mlp-lab', '--file=a.mlplesson', 'notes.txt', '.'], '/w')).toBeNull();
  });
});

describe('the lesson inbox', () => {
  it('hands over paths offered before anyone asked, in order, then waits for the next', async () => {
    const inbox = createLessonInbox();
    inbox.offer('/a.mlplesson');
    inbox.offer('/b.mlplesson');
    expect(await inbox.next()).toBe('/a.mlplesson');
    expect(await inbox.next()).toBe('/b.mlplesson');
    const waiting = inbox.next();
    inbox.offer('/c.mlplesson');
    expect(await waiting).toBe('/c.mlplesson');
  });

  it('answers a superseded wait with null, and keeps only the newest few paths', async () => {
    const inbox = createLessonInbox();
    const first = inbox.next();
    const second = inbox.next();
    expect(await first).toBeNull();
    inbox.offer('/x.mlplesson');
    expect(await second).toBe('/x.mlplesson');
    for (let i = 0; i < 10; i++) inbox.offer(`/${i}.mlplesson`);
    expect(await inbox.next()).toBe('/6.mlplesson');
  });
});
