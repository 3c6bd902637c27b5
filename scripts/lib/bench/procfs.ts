// What Linux says of a process (/proc): CPU time spent, resident memory. The bench reads its
// servers from outside, so that measuring costs them nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): index 0 is field 3 (state). */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds the process has used so far (utime + stime). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return (Number(f[14 - 3]) + Number(f[15 - 3])) / TICKS;
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Every live descendant of a process (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parentOf.set(Number(entry), Number(statFields(Number(entry))[4 - 3]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

const isNode = (pid: number) => /(^|\/)node[^/]*$/.test(commandLine(pid)[0] ?? '');

/**
 * The Node.js process that serves, for a command started through a shell: the child itself when the
 * shell exec'd it (the usual case), else its Node.js descendant with the most memory.
 */
export function serverPid(childPid: number): number {
  if (isNode(childPid)) return childPid;
  const nodes = descendants(childPid).filter(isNode);
  if (!nodes.length) return childPid;
  return nodes.sort((a, b) => memoryMiB(b).rss - memoryMiB(a).rss)[0];
}

/** CPU seconds of every live process with this command name (e.g. the PostgreSQL server's backends). */
export function cpuSecondsOfCommand(name: string): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) total += cpuSeconds(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return total;
}

/** The machine's CPU time so far, in seconds summed over its cores: busy and total. */
export function machineSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((s, v) => s + v, 0);
  // idle and iowait are not busy.
  return { busy: (total - values[3] - (values[4] ?? 0)) / TICKS, total: total / TICKS };
}
