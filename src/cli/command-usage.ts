/**
 * `<command> --help`: the part of the usage text about one command — its line from the command
 * list and its own options block — so each command explains itself without repeating the others.
 * Read from the one usage text, so a command added there (its list line and its "<command>
 * options:" block) gets its own help with no other change.
 */
export function commandUsage(usage: string, command: string): string {
  const lines = usage.split('\n');
  const summary = lines.find((line) => line.startsWith(`  ${command} `));
  const own = optionsBlock(lines, command);
  if (summary === undefined || own === undefined) return usage;
  // A block that builds on another command's options ("the train options … plus") shows those too.
  const borrowed = /the (\w+) options/.exec(own[0])?.[1];
  const extra = borrowed === undefined || borrowed === command ? undefined : optionsBlock(lines, borrowed);
  const exitCodes = lines.find((line) => line.startsWith('Exit codes:'));
  return [
    `Usage: npm run -s cli -- ${command} [options]`,
    '',
    summary.trim().slice(command.length).trim(),
    '',
    ...own,
    ...(extra === undefined ? [] : ['', ...extra]),
    ...(exitCodes === undefined ? [] : ['', exitCodes]),
  ].join('\n');
}

/** The lines of "<command> options:" up to the next blank line. */
function optionsBlock(lines: readonly string[], command: string): string[] | undefined {
  const start = lines.findIndex((line) => line.startsWith(`${command} options`));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && lines[end].trim() !== '') end++;
  return lines.slice(start, end);
}
