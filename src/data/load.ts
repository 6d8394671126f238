/**
 * Loading a user's dataset from a file: JSON `{ "x": [[…], …], "y": [±1, …] }` or CSV with one
 * sample per line, features first and the ±1 label last (a header line of non-numbers is skipped).
 * Every problem is an InputError naming the file, the row and the column.
 */
import { readFileSync } from 'node:fs';
import type { Dataset } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { makeDataset } from './dataset.js';

export function loadDataset(path: string): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`data.path = ${JSON.stringify(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return path.toLowerCase().endsWith('.json') ? parseJsonDataset(text, path) : parseCsvDataset(text, path);
}

export function parseJsonDataset(text: string, source = 'data'): Dataset {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const { x, y } = (raw ?? {}) as { x?: unknown; y?: unknown };
  if (!Array.isArray(x) || x.length === 0) throw new InputError(`${source}: "x" must be a non-empty array of rows`);
  if (!Array.isArray(y)) throw new InputError(`${source}: "y" must be an array of ±1 labels`);
  return fromRows(
    x.map((row, i) => {
      if (!Array.isArray(row)) throw new InputError(`${source}: x[${i}] must be an array of numbers`);
      return row.map((v, j) => {
        if (typeof v !== 'number') throw new InputError(`${source}: x[${i}][${j}] = ${JSON.stringify(v)}: must be a number`);
        return v;
      });
    }),
    y.map((v, i) => {
      if (typeof v !== 'number') throw new InputError(`${source}: y[${i}] = ${JSON.stringify(v)}: labels must be +1 or -1`);
      return v;
    }),
    source,
  );
}

export function parseCsvDataset(text: string, source = 'data'): Dataset {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const rows: number[][] = [];
  const labels: number[] = [];
  lines.forEach((line, lineNo) => {
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map((c) => (c === '' ? NaN : Number(c)));
    if (rows.length === 0 && values.every(Number.isNaN)) return; // header
    if (cells.length < 2) throw new InputError(`${source}:${lineNo + 1}: a row needs at least one feature and a label`);
    values.forEach((v, j) => {
      if (Number.isNaN(v)) throw new InputError(`${source}:${lineNo + 1}: column ${j + 1} = ${JSON.stringify(cells[j])}: not a number`);
    });
    rows.push(values.slice(0, -1));
    labels.push(values[values.length - 1]);
  });
  if (rows.length === 0) throw new InputError(`${source}: no samples`);
  return fromRows(rows, labels, source);
}

function fromRows(rows: number[][], labels: number[], source: string): Dataset {
  const d = rows[0].length;
  if (d === 0) throw new InputError(`${source}: samples have no features`);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new InputError(`${source}: sample ${i} has ${r.length} features, sample 0 has ${d}`);
  });
  if (labels.length !== rows.length) throw new InputError(`${source}: ${rows.length} samples but ${labels.length} labels`);
  const x = new Float64Array(rows.length * d);
  rows.forEach((r, i) => x.set(r, i * d));
  return makeDataset(x, Float64Array.from(labels), rows.length, d);
}
