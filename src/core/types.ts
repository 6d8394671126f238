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

/**
 * A float64 network. All methods are pure in θ and the data; workspaces are cached per net
 * and per sample count so the hot path (margins + vjp) allocates nothing after the first call.
 */
export interface Net {
  /** Human-readable description, e.g. `mlp[8-16-1,relu]`. */
  readonly name: string;
  /** Homogeneity degree L (f(cθ) = c^L f(θ) for c > 0), or null when the net is not homogeneous. */
  readonly degree: number | null;
  readonly inputDim: number;
  readonly layout: Layout;
  /** A fresh θ: Gaussian entries with fan-in scaling times `scale` (biases start at 0). */
  init(scale: number, rng: import('./rng.js').Rng): Float64Array;
  /** f(θ; x_n) for every sample. `out` (length N) is reused when given. */
  forward(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  /** q_n = y_n f(θ; x_n). */
  margins(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  /**
   * Σ_n c_n ∇_θ q_n(θ) in one backward pass (relu'(0) = 0). `out` (length P) is overwritten.
   * `reuseForward`: the caller guarantees that the last margins/forward/vjp/jvp call on this net
   * was at the same θ (unchanged in place) and data, so the forward pass may be skipped.
   */
  vjp(theta: Float64Array, data: Dataset, c: Float64Array, out: Float64Array, reuseForward?: boolean): Float64Array;
  /** ⟨∇_θ q_n(θ), v⟩ for every n in one forward-mode pass. `out` (length N) is overwritten. */
  jvp(theta: Float64Array, data: Dataset, v: Float64Array, out?: Float64Array, reuseForward?: boolean): Float64Array;
  /** ∇_θ q_n(θ) for every n, as an N×P row-major matrix. */
  perSampleGrads(theta: Float64Array, data: Dataset): Float64Array;
  /**
   * For nets with kinks (ReLU-type φ): 1 where a hidden pre-activation is > 0, else 0, over all
   * samples and hidden units. Comparing two patterns counts activation flips (kink crossings).
   * `out` is reused when it has the right length; `reuseForward` as in vjp.
   */
  activationPattern?(theta: Float64Array, data: Dataset, out?: Uint8Array, reuseForward?: boolean): Uint8Array;
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
