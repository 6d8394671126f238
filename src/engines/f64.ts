/**
 * The float64 reference engine (THEORY §9: float64 is the truth). It wraps an architecture's kernels
 * (src/nets) into the Net contract: `net.at(θ, data)` copies θ, runs one forward pass, and its vjp,
 * jvp and pattern reuse that pass only when it is still the last one the kernels ran, a fact the
 * engine tracks itself. Disposed evaluations go back to a pool, so a hot loop allocates nothing.
 */
import type { Dataset, EngineInfo, Evaluation, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import type { F64Kernels } from '../nets/kernels.js';

export const F64_INFO: EngineInfo = { name: 'f64', backend: 'js', unitRoundoff: 2 ** -53 };

export function wrapKernels(k: F64Kernels): Net {
  /** The live evaluation whose forward pass is in the kernels' workspace, if any. */
  let owner: F64Evaluation | null = null;
  const pool: F64Evaluation[] = [];
  const patternFn = k.activationPattern;

  class F64Evaluation implements Evaluation {
    readonly theta: Float64Array;
    readonly margins: Float64Array;
    data: Dataset;
    private live = true;
    constructor(theta: Float64Array, data: Dataset) {
      this.theta = theta.slice();
      this.data = data;
      this.margins = new Float64Array(data.n);
      this.pattern = patternFn ? this.patternImpl : undefined;
    }
    /** (Re)binds a pooled evaluation to θ and data and runs the forward pass. */
    bind(theta: Float64Array, data: Dataset): this {
      this.theta.set(theta);
      this.data = data;
      this.live = true;
      k.margins(this.theta, data, this.margins);
      owner = this;
      return this;
    }
    /** True when the kernels' workspace holds this evaluation's pass; claims it either way. */
    private reuse(): boolean {
      if (!this.live) throw new Error('evaluation used after dispose()');
      const same = owner === this;
      owner = this;
      return same;
    }
    vjp(c: Float64Array, out: Float64Array = new Float64Array(this.theta.length)): Float64Array {
      if (c.length !== this.data.n) throw new InputError(`c.length = ${c.length}: the data have ${this.data.n} samples`);
      return k.vjp(this.theta, this.data, c, out, this.reuse());
    }
    jvp(v: Float64Array, out: Float64Array = new Float64Array(this.data.n)): Float64Array {
      if (v.length !== this.theta.length) throw new InputError(`v.length = ${v.length}: ${k.name} has ${this.theta.length} parameters`);
      return k.jvp(this.theta, this.data, v, out, this.reuse());
    }
    readonly pattern: ((out?: Uint8Array) => Uint8Array) | undefined;
    private patternImpl = (out?: Uint8Array): Uint8Array => patternFn!.call(k, this.theta, this.data, out, this.reuse());
    dispose(): void {
      if (!this.live) return;
      this.live = false;
      if (owner === this) owner = null;
      if (pool.length < 8) pool.push(this);
    }
  }

  /** A call outside any evaluation: the kernels' workspace is about to hold another pass. */
  const oneShot = <T>(f: () => T): T => {
    owner = null;
    return f();
  };

  const net: Net = {
    get reference() {
      return net;
    },
    name: k.name,
    degree: k.degree,
    inputDim: k.inputDim,
    layout: k.layout,
    engine: F64_INFO,
    kinked: !!patternFn,
    init: (scale, rng) => k.init(scale, rng),
    at(theta, data) {
      if (theta.length !== k.layout.size) throw new InputError(`theta.length = ${theta.length}: ${k.name} has ${k.layout.size} parameters`);
      const i = pool.findIndex((e) => e.margins.length === data.n);
      const ev = i >= 0 ? pool.splice(i, 1)[0] : new F64Evaluation(theta, data);
      return ev.bind(theta, data);
    },
    forward: (theta, data, out) => oneShot(() => k.forward(theta, data, out)),
    margins: (theta, data, out) => oneShot(() => k.margins(theta, data, out)),
    perSampleGrads: (theta, data) => oneShot(() => k.perSampleGrads(theta, data)),
  };
  return net;
}
