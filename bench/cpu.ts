import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** CPU accounting from /proc (Linux): clock ticks are 1/100 s on every common kernel build. */
export const TICKS_PER_SEC = 100;

interface ProcTicks {
  comm: string;
  ppid: number;
  ticks: number;
}

function readProc(pid: number): ProcTicks | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // ppid is field 4, utime + stime fields 14 and 15 (numbered from 1, comm being field 2).
    return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** utime + stime of every live process, by pid. */
export function processTicks(): Map<number, ProcTicks> {
  const out = new Map<number, ProcTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = readProc(Number(entry));
    if (p) out.set(Number(entry), p);
  }
  return out;
}

/** Busy and total ticks of the whole machine (all cores), from the first line of /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3]! + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSnapshot {
  procs: Map<number, ProcTicks>;
  machine: { busy: number; total: number };
  at: number;
}

export const cpuSnapshot = (): CpuSnapshot => ({ procs: processTicks(), machine: machineTicks(), at: Date.now() });

/**
 * CPU seconds per group of processes between two snapshots (a process born in between counts from 0;
 * one that died in between is lost), and the machine's busy cores over the interval.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, groups: Record<string, (pid: number, comm: string, ppid: number) => boolean>) {
  const seconds = (after.at - before.at) / 1000;
  const cpuSec: Record<string, number> = {};
  for (const [name, match] of Object.entries(groups)) {
    let ticks = 0;
    for (const [pid, p] of after.procs) {
      if (!match(pid, p.comm, p.ppid)) continue;
      ticks += p.ticks - (before.procs.get(pid)?.comm === p.comm ? before.procs.get(pid)!.ticks : 0);
    }
    cpuSec[name] = ticks / TICKS_PER_SEC;
  }
  const cores = (after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total);
  const busySec = cores * os.cpus().length * seconds;
  // What the groups do not explain: other sessions on a shared machine, the kernel's own threads.
  const unexplained = busySec - Object.values(cpuSec).reduce((a, b) => a + b, 0);
  return { seconds, cpuSec, machineBusyCores: cores * os.cpus().length, machineBusySec: busySec, unexplainedSec: unexplained };
}

/**
 * Waits until the machine is quiet: busy below `maxBusyCores` over one `windowMs`, at most `timeoutMs`.
 * A case that starts while an earlier one's processes or PostgreSQL's writes still run measures them too
 * (the full run of 2026-12-07 18:06 started its ingest case 1 minute after a fault drill: 97 µs per
 * webhook of other work in its first run). Returns what it saw, for the log.
 */
export async function waitForQuiet(opts: { maxBusyCores?: number; windowMs?: number; timeoutMs?: number } = {}) {
  const maxBusy = opts.maxBusyCores ?? 0.15;
  const windowMs = opts.windowMs ?? 1_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const started = Date.now();
  for (;;) {
    const before = machineTicks();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = machineTicks();
    const busyCores = ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * os.cpus().length;
    if (busyCores <= maxBusy || Date.now() >= deadline) return { quiet: busyCores <= maxBusy, busyCores, waitedMs: Date.now() - started };
  }
}
