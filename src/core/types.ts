/**
 * Shared shapes that flow between modules (DESIGN.md: spec → engine → trajectory → checkpoints).
 * Everything here is float64: θ is one flat Float64Array, layers are views into it.
 */

/** A binary classification dataset: x is N×d row-major, y ∈ {−1, +1}^N. */
export interface Dataset {
  readonly n: number;
  readonly d: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * A named block of the flat parameter vector. A `matrix` block is `rows × cols` row-major
 * (rows = output units, cols = inputs); a `vector` block (biases, diagonal-net factors)
 * has rows = 1 and cols = its length. The spectral norm treats only `matrix` blocks as matrices.
 */
export interface LayerView {
  readonly name: string;
  readonly kind: 'matrix' | 'vector';
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

/** The layout of θ: total size and its blocks, in order, covering [0, size) exactly. */
export interface Layout {
  readonly size: number;
  readonly layers: readonly LayerView[];
}

/** Which engine computed something, at what precision (every report carries it). */
export interface EngineInfo {
  /** Registry name: `f64` (the float64 reference) or `tfjs` (float32, a system under test). */
  readonly name: 'f64' | 'tfjs';
  /** The backend in use: `js` for f64; `wasm`, `tensorflow` (tfjs-node) or `cpu` for tfjs. */
  readonly backend: string;
  /** Unit round-off u of the engine's arithmetic: 2⁻⁵³ (float64) or 2⁻²⁴ (float32). */
  readonly unitRoundoff: number;
}

/**
 * The network evaluated at one θ on one dataset (DESIGN.md "one seam"). It owns a copy of θ and
 * the buffers of its forward pass, so vjp/jvp/pattern always refer to that θ: no caller vouches for
 * a cache. Host-side arrays are float64 (a float32 engine widens its values exactly). Call
 * `dispose()` when done (returns buffers to a pool / frees device memory); a disposed evaluation throws.
 */
export interface Evaluation {
  /** The θ this evaluation is at (the evaluation's own copy; do not mutate). */
  readonly theta: Float64Array;
  readonly data: Dataset;
  /** q_n = y_n f(θ; x_n), length N (owned by the evaluation, valid until dispose). */
  readonly margins: Float64Array;
  /** Σ_n c_n ∇_θ q_n(θ) (relu'(0) = 0), length P; written into `out` when given. */
  vjp(c: Float64Array, out?: Float64Array): Float64Array;
  /** ⟨∇_θ q_n(θ), v⟩ for every n (forward mode), length N; written into `out` when given. */
  jvp(v: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Nets with kinks (ReLU-type φ): 1 where a hidden pre-activation is > 0, else 0, over all samples
   * and hidden units; absent otherwise. Comparing patterns counts activation flips. `out` is reused
   * when it has the right length: always use the returned array.
   */
  pattern?(out?: Uint8Array): Uint8Array;
  dispose(): void;
}

/**
 * A network built by an engine from a plain-data spec (`buildNet(spec, engine)`, src/engines).
 * Parameters live on the host as one flat float64 θ whatever the engine; an engine converts them.
 */
export interface Net {
  /** Human-readable description, e.g. `mlp[8-16-1,relu]`. */
  readonly name: string;
  /** Homogeneity degree L (f(cθ) = c^L f(θ) for c > 0), or null when the net is not homogeneous. */
  readonly degree: number | null;
  readonly inputDim: number;
  readonly layout: Layout;
  /** The engine that evaluates this net. */
  readonly engine: EngineInfo;
  /**
   * The float64 reference net of the same architecture (the net itself on the f64 engine): every
   * metric of a run — margins, soft margins, R, Theorem 3.1 evidence — is judged by it (THEORY §9).
   */
  readonly reference: Net;
  /** True when the net has kinks (ReLU-type φ), i.e. its evaluations have `pattern`. */
  readonly kinked: boolean;
  /** A fresh θ: Gaussian entries with fan-in scaling times `scale` (biases start Gaussian too). */
  init(scale: number, rng: import('./rng.js').Rng): Float64Array;
  /** Evaluates at θ on `data` (one forward pass); see Evaluation. */
  at(theta: Float64Array, data: Dataset): Evaluation;
  /** f(θ; x_n) for every sample (a one-shot evaluation). */
  forward(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  /** q_n = y_n f(θ; x_n) (a one-shot evaluation). */
  margins(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  /** ∇_θ q_n(θ) for every n, as an N×P row-major matrix. */
  perSampleGrads(theta: Float64Array, data: Dataset): Float64Array;
}

/**
 * A norm on θ (THEORY §2). Built for one layout: block norms (spectral) need the shapes.
 */
export interface Norm {
  /** Registry name: `l1`, `l2`, `linf`, `lp:3`, `spectral`, `spectral-sign`, `wl2:...`. */
  readonly name: string;
  /** Short label for tables, e.g. `ℓ∞`. */
  readonly label: string;
  value(x: Float64Array): number;
  /** The dual norm ‖g‖_* = sup_{‖u‖≤1} ⟨g, u⟩. */
  dual(g: Float64Array): number;
  /**
   * Writes one u ∈ U(g) = argmax_{‖u‖≤1} ⟨u, g⟩ into `out` (‖u‖ = 1, ⟨u, g⟩ = ‖g‖_*), with
   * deterministic tie-breaking (lowest index) under the norm's stated tolerance, and returns
   * ‖g‖_*. For g = 0 it writes u = 0 and returns 0.
   */
  steepest(g: Float64Array, out: Float64Array): number;
  /** Writes one w ∈ ∂½‖θ‖² into `out`: ‖w‖_* = ‖θ‖ and ⟨w, θ⟩ = ‖θ‖². */
  subgradHalfSq(theta: Float64Array, out: Float64Array): Float64Array;
  /** Fenchel–Young gap ½‖θ‖² + ½‖w‖_*² − ⟨θ, w⟩ ≥ 0. */
  fyGap(theta: Float64Array, w: Float64Array): number;
}
