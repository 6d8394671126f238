/**
 * Fixed-seed snapshot of generated values: a change to any generator (or to the rng, the nets'
 * init or the datasets) shows up here as a diff instead of silently changing what CI tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { homogeneousNetSpec, netCase, nonHomogeneousVariants } from '../../properties/arbitraries.js';
import { buildNet } from '../../src/engines/index.js';

const round = (x: number) => Number(x.toPrecision(10));

describe('generators', () => {
  it('homogeneous net cases are stable under a fixed seed', () => {
    const sample = fc.sample(netCase(homogeneousNetSpec), { seed: 1234, numRuns: 8 }).map((c) => ({
      net: c.net.name,
      degree: c.net.degree,
      n: c.data.n,
      d: c.data.d,
      seed: c.seed,
      zeros: c.zeros,
      theta: Array.from(c.theta.slice(0, 3), round),
      x: Array.from(c.data.x.slice(0, 2), round),
      y: Array.from(c.data.y.slice(0, 6)),
    }));
    expect(sample).toMatchSnapshot();
  });

  it('every generated homogeneous net declares a degree, every hunter variant declares none', () => {
    for (const c of fc.sample(netCase(homogeneousNetSpec), { seed: 99, numRuns: 100 })) expect(c.net.degree).not.toBeNull();
    for (const [name, arb] of Object.entries(nonHomogeneousVariants(3))) {
      for (const spec of fc.sample(arb, { seed: 5, numRuns: 10 })) expect(buildNet(spec).degree, name).toBeNull();
    }
  });

  it('shrinks structurally toward fewer layers, units and samples', () => {
    // A property that fails whenever the net has a hidden layer: the shrunk case is minimal.
    const details = fc.check(
      fc.property(netCase(homogeneousNetSpec), (c) => c.net.layout.layers.filter((l) => l.kind === 'matrix').length < 2),
      { seed: 7, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const c = details.counterexample![0];
    expect(c.data.n).toBe(1);
    expect(c.data.d).toBe(1);
    expect(c.net.name).toBe('mlp[1-1-1,relu]');
  });
});
