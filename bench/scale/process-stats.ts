import { readFileSync } from 'node:fs';

/**
 * CPU seconds a process has used (Linux /proc; ticks of 10 ms). Throughput on a shared 2-core
 * machine moves with whatever else runs; CPU per unit of work does not.
 */
export function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MiB. */
export function rssMiB(pid: number | undefined): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : NaN;
}
