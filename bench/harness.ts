/** Benchmark helpers: warm-up, repeated timing, medians, machine line. Never run by `npm test`. */
import os from 'node:os';

/**
 * A warning when other processes compete for the cores (1-minute load average above half the
 * cores before we start): the figures are then lower than the machine can do. null when quiet.
 */
export function loadWarning(): string | null {
  const load = os.loadavg()[0];
  const cores = os.availableParallelism();
  return load > cores / 2
    ? `warning: load average ${load.toFixed(1)} on ${cores} cores — other processes compete for the CPU; figures below may be low`
    : null;
}

/** "target ≥ 3 GFLOP/s" (or "≤" for an upper bound), with MISSED appended when `value` misses it. */
export function targetMark(value: number, bound: number, unit: string, kind: 'at least' | 'at most' = 'at least'): string {
  const met = kind === 'at least' ? value >= bound : value <= bound;
  return `target ${kind === 'at least' ? '≥' : '≤'} ${bound}${unit ? ` ${unit}` : ''}${met ? '' : ' MISSED'}`;
}

export function machineLine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown cpu'} · ${os.cpus().length} cores · node ${process.version} · single thread, float64`;
}

/** Seconds per call of `fn` in each of `repeats` timed batches of `inner` calls (after a warm-up), sorted. */
export function batchSeconds(fn: () => void, inner: number, repeats = 7): number[] {
  for (let i = 0; i < Math.max(1, inner >> 2); i++) fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    times.push((performance.now() - t0) / 1000 / inner);
  }
  return times.sort((a, b) => a - b);
}

/** Median seconds per call of `fn` over `repeats` timed batches of `inner` calls (after a warm-up). */
export function medianSeconds(fn: () => void, inner: number, repeats = 7): number {
  const times = batchSeconds(fn, inner, repeats);
  return times[Math.floor(times.length / 2)];
}
