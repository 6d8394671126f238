/**
 * Wolfe's minimum-norm-point algorithm (Wolfe 1976): the point of least ℓ2 norm in the convex hull
 * of the rows z_n, i.e. the ℓ2 max-margin dual of THEORY §8,
 *   γ* = min_{μ ∈ Δ} ‖Σ_n μ_n z_n‖₂,
 * used for the dual QP form (d > N) instead of quadprog on the N×N Gram matrix.
 *
 * Why not quadprog there: KKT rows z_n = ∇q_n/c_n of a ReLU net are often linearly dependent
 * (samples sharing an activation pattern have gradients that are linear in x ∈ R^d_in, so the Gram
 * matrix has rank < N with eigenvalues ~ −1e-15). Goldfarb–Idnani needs D ≻ 0: the 1e-12 ridge made
 * it run on R⁻¹ with cond(D) ≈ 1e13, and the returned μ was off by up to 1e4× the certificate's
 * tolerance (THEORY §8 gap check; seed=3/theorem38/gd/23: gap 5.5e-4 vs tolerance 4.1e-8).
 *
 * Wolfe's method never forms or inverts the Gram matrix. It keeps a "corral" S of affinely
 * independent rows and the current point x = Σ_S λ_n z_n (λ > 0, Σ λ = 1):
 *   major cycle: j = argmin_n ⟨z_n, x⟩; stop when ‖x‖² − ⟨z_j, x⟩ ≤ tol (then x is optimal up to
 *     tol: the certificate's gap is exactly (‖x‖² − min_n ⟨z_n, x⟩)/‖x‖); else add j to S;
 *   minor cycle: y = affine minimizer of aff(S) (coefficients α, Σ α = 1); if α > 0, x = y; else
 *     move x toward y until some λ_n hits 0, drop those rows and repeat.
 * A row with ⟨z_j, x⟩ < ‖x‖² is never in aff(S) (every p ∈ aff(S) has ⟨p, x⟩ = ‖x‖² at the affine
 * minimizer x), so dependent rows are never added — rank deficiency costs nothing, and the
 * algorithm is finite. The affine minimizer is a linear least-squares problem,
 *   min_α ‖z_{s0} + Σ_k α_k (z_{sk} − z_{s0})‖,
 * solved by Householder QR (backward stable; its conditioning is that of the corral's affine
 * geometry, not the square of it as in the normal equations / Gram system). All work happens in
 * coordinates of span{z_n} (one Householder QR of Zᵀ, an isometry up to round-off), so the cost per
 * minor cycle is O(min(N, d)·|S|²), independent of d beyond the first factorization.
 *
 * The caller (maxMarginRows) recomputes the certificate from μ in the original coordinates, so any
 * round-off here can only widen the bracket, never make it wrong.
 */

export interface MinNormPoint {
  /** Convex weights μ ≥ 0, Σ μ = 1, supported on the final corral. */
  readonly mu: Float64Array;
  readonly majorIterations: number;
}

/**
 * Householder QR of the m×k column-major matrix `a` (column c at a[c*m .. c*m+m)), in place:
 * afterwards R is in the upper triangle and the reflectors below it; `beta`/`diag` hold the rest.
 * Returns R's diagonal; reflector v_c = (a[c*m+c] := v0, a[c*m+c+1..]) with H = I − v vᵀ/β.
 */
function householder(a: Float64Array, m: number, k: number, beta: Float64Array, diag: Float64Array): void {
  // A remaining sub-column below m·ε × the largest column norm is round-off of a dependent column:
  // it is set to 0 (a perturbation within round-off). Reflecting it instead would amplify noise and
  // underflow (β = ‖v‖²/2 of a 1e-169 column is 0, and 0/0 poisons R with NaN).
  let scale = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.hypot(s, a[c * m + i]);
    scale = Math.max(scale, s);
  }
  const negligible = 4 * m * Number.EPSILON * scale;
  for (let c = 0; c < k; c++) {
    const off = c * m;
    let norm = 0;
    for (let i = c; i < m; i++) norm = Math.hypot(norm, a[off + i]);
    if (!(norm > negligible)) {
      for (let i = c; i < m; i++) a[off + i] = 0;
      beta[c] = 0;
      diag[c] = 0;
      continue;
    }
    const alpha = a[off + c] > 0 ? -norm : norm;
    const v0 = a[off + c] - alpha;
    a[off + c] = v0;
    // H = I − v vᵀ / β with β = −α·v0 = ‖v‖²/2.
    const b = -alpha * v0;
    beta[c] = b;
    diag[c] = alpha;
    for (let cc = c + 1; cc < k; cc++) {
      const o2 = cc * m;
      let s = 0;
      for (let i = c; i < m; i++) s += a[off + i] * a[o2 + i];
      s /= b;
      for (let i = c; i < m; i++) a[o2 + i] -= s * a[off + i];
    }
  }
}

/** Apply the stored reflectors (Qᵀ) to vector v of length m. */
function applyQt(a: Float64Array, m: number, k: number, beta: Float64Array, v: Float64Array): void {
  for (let c = 0; c < k; c++) {
    if (beta[c] === 0) continue;
    const off = c * m;
    let s = 0;
    for (let i = c; i < m; i++) s += a[off + i] * v[i];
    s /= beta[c];
    for (let i = c; i < m; i++) v[i] -= s * a[off + i];
  }
}

/**
 * Coordinates of the rows in an orthonormal basis of their span: Zᵀ = Q R, row n ↦ column n of R
 * (length r = min(n, d)). Inner products are preserved up to round-off.
 */
function reduce(z: Float64Array, n: number, d: number): { y: Float64Array; r: number } {
  if (d <= n) return { y: z.slice(), r: d };
  // Column-major d×n copy of Zᵀ is just z itself (row n of Z = column n of Zᵀ).
  const a = z.slice();
  const beta = new Float64Array(n);
  const diag = new Float64Array(n);
  householder(a, d, n, beta, diag);
  const y = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < c; i++) y[c * n + i] = a[c * d + i];
    y[c * n + c] = diag[c];
  }
  return { y, r: n };
}

export function minNormPoint(z: Float64Array, n: number, d: number): MinNormPoint {
  const { y, r } = reduce(z, n, d);
  const dot = (i: number, x: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < r; j++) s += y[i * r + j] * x[j];
    return s;
  };
  let maxSq = 0;
  let start = 0;
  let startSq = Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < r; j++) s += y[i * r + j] ** 2;
    maxSq = Math.max(maxSq, s);
    if (s < startSq) {
      startSq = s;
      start = i;
    }
  }
  // Optimality slack of the major cycle: the round-off of an r-term dot product of rows of norm
  // ≤ √maxSq, with room. The certificate's gap is then ≤ stopTol/‖x‖ (far below gapTolerance).
  const stopTol = 8 * (r + n) * Number.EPSILON * maxSq;

  let S: number[] = [start];
  let lambda: number[] = [1];
  const x = new Float64Array(r);
  const setX = (): void => {
    x.fill(0);
    for (let k = 0; k < S.length; k++) for (let j = 0; j < r; j++) x[j] += lambda[k] * y[S[k] * r + j];
  };
  setX();

  const maxMajor = 10 * n + 100;
  let major = 0;
  let prevSq = Infinity;
  for (; major < maxMajor; major++) {
    let xx = 0;
    for (let j = 0; j < r; j++) xx += x[j] * x[j];
    // No strict decrease: round-off floor reached (finite in exact arithmetic, so only then).
    if (!(xx < prevSq)) break;
    prevSq = xx;
    let jMin = -1;
    let mMin = Infinity;
    for (let i = 0; i < n; i++) {
      const m = dot(i, x);
      if (m < mMin) {
        mMin = m;
        jMin = i;
      }
    }
    if (xx - mMin <= stopTol || S.includes(jMin)) break;
    S.push(jMin);
    lambda.push(0);
    // Minor cycles: at most |S| (each drops a row).
    for (let minor = 0; minor <= S.length + 1; minor++) {
      const alpha = affineMinimizer(y, r, S);
      if (alpha.every((a) => a > 0)) {
        lambda = alpha;
        break;
      }
      // Step x → y until the first weight hits 0: θ = min over α_k ≤ 0 of λ_k/(λ_k − α_k) ∈ [0, 1]
      // (λ_k = α_k = 0 gives θ = 0: the row just added is dependent up to round-off, drop it).
      let theta = 1;
      let blocking = -1;
      for (let k = 0; k < S.length; k++) {
        if (!(alpha[k] > 0)) {
          const t = lambda[k] > 0 ? lambda[k] / (lambda[k] - alpha[k]) : 0;
          if (blocking < 0 || t < theta) {
            theta = t;
            blocking = k;
          }
        }
      }
      const next = lambda.map((l, k) => (1 - theta) * l + theta * alpha[k]);
      const keep = next.map((l, k) => k !== blocking && l > 0);
      if (!keep.includes(true)) {
        // All weights ≤ 0 (round-off only): restart the corral at the heaviest row.
        S = [S[lambda.indexOf(Math.max(...lambda))]];
        lambda = [1];
        break;
      }
      S = S.filter((_, k) => keep[k]);
      lambda = next.filter((_, k) => keep[k]);
      const total = lambda.reduce((a, b) => a + b, 0);
      lambda = lambda.map((l) => l / total);
    }
    setX();
  }
  const mu = new Float64Array(n);
  for (let k = 0; k < S.length; k++) mu[S[k]] = Math.max(0, lambda[k]);
  return { mu, majorIterations: major };
}

/**
 * Affine minimizer of the rows S: coefficients α (Σ α = 1) minimizing ‖Σ α_k y_{S_k}‖, by least
 * squares on the differences to a base row. Rank deficiency (numerically dependent rows, which the
 * major cycle's test excludes up to round-off) leaves the dependent coefficients at 0.
 */
function affineMinimizer(y: Float64Array, r: number, S: readonly number[]): number[] {
  const m = S.length;
  if (m === 1) return [1];
  const k = m - 1;
  const base = S[0];
  const a = new Float64Array(r * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < r; j++) a[c * r + j] = y[S[c + 1] * r + j] - y[base * r + j];
  let colMax = 0;
  for (let i = 0; i < a.length; i++) colMax = Math.max(colMax, Math.abs(a[i]));
  const beta = new Float64Array(k);
  const diag = new Float64Array(k);
  householder(a, r, k, beta, diag);
  // min ‖y_base + A α‖  ⇒  R α = −(Qᵀ y_base)[0..k).
  const rhs = new Float64Array(r);
  for (let j = 0; j < r; j++) rhs[j] = -y[base * r + j];
  applyQt(a, r, k, beta, rhs);
  const coef = new Float64Array(k);
  const tiny = Math.max(r, k) * Number.EPSILON * colMax * 16;
  for (let c = Math.min(k, r) - 1; c >= 0; c--) {
    if (Math.abs(diag[c]) <= tiny) {
      coef[c] = 0;
      continue;
    }
    let s = rhs[c];
    for (let cc = c + 1; cc < k; cc++) s -= a[cc * r + c] * coef[cc];
    coef[c] = s / diag[c];
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += coef[c];
  return [1 - sum, ...coef];
}
