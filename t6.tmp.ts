import { screen, DEFAULT_CHECK, DEFAULT_KNOBS } from './src/hunt/candidate.js';
import { structureAt, familySeed } from './src/hunt/search.js';
import { HUNT_ALGORITHMS, HUNT_DATA } from './src/hunt/families.js';
const cfg = { algorithms: [...HUNT_ALGORITHMS], data: [...HUNT_DATA] };
for (const [f, k] of [['control-mlp', 5], ['control-mlp', 0], ['control-first-bias', 5]] as const) {
  const s = structureAt(cfg, f, familySeed('20241029', f), String(k));
  console.log(f, k, screen({ structure: s, knobs: DEFAULT_KNOBS }, DEFAULT_CHECK).reason);
}
