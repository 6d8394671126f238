/** `margincheck list`: the names the other commands accept, one section each. */
import { NORM_FAMILIES, NORM_NAMES } from '../norms/index.js';
import { OPTIMIZER_FAMILIES, OPTIMIZER_NAMES, STEEPEST_NAMES } from '../optimizers/index.js';
import { HUNT_FAMILIES } from '../hunt/families.js';
import { wrap } from '../report/table.js';
import { SUITES, suiteRows } from '../../properties/suites.js';

export function list(): number {
  const lines = ['suites (verify --suite <id>) and their rows (verify --property "<row>"):'];
  for (const s of SUITES) {
    lines.push(...wrap(`${s.id}: ${s.title}`, '  '));
    for (const row of suiteRows(s)) lines.push(`    ${row.label}`);
  }
  const section = (title: string, names: readonly string[]) => ['', `${title}:`, ...wrap(names.join(', '), '  ')];
  lines.push(
    ...section('norms', [...NORM_NAMES, ...NORM_FAMILIES]),
    ...section('optimizers', [...OPTIMIZER_NAMES, ...OPTIMIZER_FAMILIES]),
    ...section('run algorithms (steepest descent, config "algorithm")', [...STEEPEST_NAMES, 'lp:<p>']),
    ...section('families (non-homogeneous nets: hunt --family, the Euler must-find rows)', HUNT_FAMILIES),
  );
  console.log(lines.join('\n'));
  return 0;
}
