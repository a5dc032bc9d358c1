/**
 * CPU time of this process and of every process it started (Chromium's browser, renderer and GPU
 * processes, the engine worker), read from Linux's /proc: who besides the engine used the cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second in /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessStat {
  pid: number;
  ppid: number;
  name: string;
  cpuSeconds: number;
}

/** Chromium's processes by their job (its --type= argument; the browser process has none). */
function chromiumRole(pid: number): string {
  try {
    const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1];
    return `chromium ${type ?? 'browser'}`;
  } catch {
    return 'chromium';
  }
}

function readStat(pid: number): ProcessStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(fields[1]), name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null; // gone meanwhile
  }
}

/** CPU seconds so far of this process ('harness') and its descendants, grouped by process name. */
export function cpuByProcess(): Map<string, number> {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat): stat is ProcessStat => stat !== null);
  const children = new Map<number, ProcessStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const totals = new Map<string, number>();
  const self = process.cpuUsage();
  totals.set('harness', (self.user + self.system) / 1e6);
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      const group = child.name.startsWith('chrom') ? chromiumRole(child.pid) : child.name === 'node' || child.name.startsWith('MLP') ? 'worker' : child.name;
      totals.set(group, (totals.get(group) ?? 0) + child.cpuSeconds);
      visit(child.pid);
    }
  };
  visit(process.pid);
  return totals;
}
