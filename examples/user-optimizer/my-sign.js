/**
 * My optimizer: sign descent, the unnormalized ℓ∞ steepest descent Δθ = η‖∇𝓛‖₁·sign(−∇𝓛), in
 * margincheck's optimizer contract. −∇𝓛 arrives as e^{frame.logScale}·frame.negGrad (𝓛 can be
 * e^{−10⁴}), so the step size is combined in the log domain before anything is exponentiated.
 */
export const name = 'my-sign';
/** The norm whose margin this optimizer should maximize. */
export const norm = 'linf';

export function init() {
  return null;
}

/** d = sign(G) and log m = log W + log ‖G‖₁, so Δθ = η·e^{log m}·d. */
export function direction(frame, state, _ctx, out) {
  let l1 = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.sign(frame.negGrad[i]);
    l1 += Math.abs(frame.negGrad[i]);
  }
  return { state, logMagnitude: l1 === 0 ? -Infinity : frame.logScale + Math.log(l1) };
}

export function update(frame, state, ctx, logLr, out) {
  const { logMagnitude } = direction(frame, state, ctx, out);
  const scale = logMagnitude === -Infinity ? 0 : Math.exp(logLr + logMagnitude);
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return state;
}
