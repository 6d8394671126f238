/**
 * What the terminal can show: colour on a TTY unless NO_COLOR is set (no-color.org), and a progress
 * line (suite k of n, runs done, ETA) redrawn in place on a TTY; plain lines otherwise.
 */
import { COLOUR, PLAIN, type Paint } from '../report/table.js';

export function paintFor(stream: NodeJS.WriteStream): Paint {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return stream.isTTY && !noColor ? COLOUR : PLAIN;
}

const seconds = (s: number) => (s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

/**
 * Progress of a verify run. Work is measured in suite cost units (Suite.cost), a running suite
 * counting in proportion to its rows done; the ETA extrapolates the elapsed time over the rest.
 */
export class Progress {
  private readonly started = Date.now();
  private runs = 0;
  private suitesDone = 0;
  private workDone = 0;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly suites: number,
    private readonly totalWork: number,
  ) {}

  /** A row finished: `work` is its share of its suite's cost. */
  row(runs: number, work: number): void {
    this.runs += runs;
    this.workDone += work;
    this.draw();
  }

  suiteDone(): void {
    this.suitesDone++;
  }

  /** Prints lines above the progress line (which is then redrawn). */
  print(lines: readonly string[]): void {
    this.clear();
    if (lines.length) this.stream.write(`${lines.join('\n')}\n`);
    this.draw();
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(): void {
    if (!this.stream.isTTY) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.workDone > 0 ? seconds((elapsed * (this.totalWork - this.workDone)) / this.workDone) : '…';
    const k = Math.min(this.suitesDone + 1, this.suites);
    this.stream.write(`\r\x1b[K[suite ${k} of ${this.suites} · ${this.runs} runs done · ${seconds(elapsed)} · ETA ${eta}]`);
    this.shown = true;
  }
}
