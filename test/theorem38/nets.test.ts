/**
 * Theorem 3.8 on 2-layer homogeneous nets along the Theorem 3.1 segment (THEORY §7), CI profile:
 * R_end/R_start per algorithm. GD and sign descent from init 1 carry claims; sign descent from init
 * 1e-2, coordinate descent and GD on leaky ReLU are reported (distribution printed), with only the
 * records' well-definedness and the coverage gate asserted.
 */
import { describe, expect, it } from 'vitest';
import { NET_CONFIGS, netRow } from '../../properties/theorem38.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('Theorem 3.8 on 2-layer nets: R_end/R_start along the segment (CI profile)', () => {
  for (const config of NET_CONFIGS) {
    it(`${config.label}${config.claim ? '' : ' (reported)'}`, () => {
      const o = netRow(config, 'ci', CI_SEED);
      console.log(`${o.property}: ${JSON.stringify(o.coverage)}`);
      expectHolds(o);
      // N·P ≤ 20·112: the exact LP/QP, except where its certificate was rejected (then matrix-free).
      expect(o.coverage.exact + o.coverage.fallback).toBeGreaterThanOrEqual(o.coverage.certified);
    });
  }
});
