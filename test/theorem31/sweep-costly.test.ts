/**
 * Theorem 3.1 sweep (see sweep.ts): coordinate descent (≈ 12× GD's steps, THEORY §5.7) and spectral
 * descent (an SVD per step). Step caps turn the costliest 3-layer runs into `cost-limited`.
 */
import { sweepTests } from './sweep.js';

sweepTests(['coord', 'spectral']);
