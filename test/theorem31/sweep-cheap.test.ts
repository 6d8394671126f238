/** Theorem 3.1 sweep (see sweep.ts): GD, sign descent and ℓ3 descent. */
import { sweepTests } from './sweep.js';

sweepTests(['gd', 'sign', 'lp:3']);
