// Half sign descent, half ℓ∞-normalized gradient descent: which margin does it maximize?
// Run: npx margincheck fingerprint --optimizer examples/fingerprint/my-optimizer.js --quick
export const name = 'sign-gd-blend';
export function init() { return null; } // no state
export function update(frame, state, ctx, logLr, out) {
  const g = frame.negGrad; // −∇𝓛 up to the positive factor e^{frame.logScale}
  let max = 0;
  for (let i = 0; i < g.length; i++) max = Math.max(max, Math.abs(g[i]));
  const eta = Math.exp(logLr); // Δθ must be η times a step
  for (let i = 0; i < g.length; i++) out[i] = max === 0 ? 0 : eta * (0.5 * Math.sign(g[i]) + (0.5 * g[i]) / max);
  return state;
}
