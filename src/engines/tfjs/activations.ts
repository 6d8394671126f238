/**
 * φ and φ' as tfjs ops, with the convention of src/nets/activations.ts: relu'(0) = 0 (THEORY §6).
 * Only the positively homogeneous activations are supported (the ones the MLP experiments use).
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../core/errors.js';
import { activationFns, type Activation } from '../../nets/activations.js';

export interface DeviceActivation {
  /** True when φ' jumps at 0 (ReLU-type): evaluations then expose the activation pattern. */
  readonly kinked: boolean;
  apply(z: tf.Tensor2D): tf.Tensor2D;
  /** φ'(Z) (run inside tf.tidy: it may leave intermediates); null when φ' ≡ 1 (identity). */
  readonly derivative: ((z: tf.Tensor2D) => tf.Tensor2D) | null;
}

export const SUPPORTED_ACTIVATIONS = ['relu', 'leaky', 'identity', 'relupow'] as const;

/** `reluPrimeAtZero` is a test-only mutant (φ'(0) = 1) that the differential properties must catch. */
export function deviceActivation(a: Activation, reluPrimeAtZero = false): DeviceActivation {
  activationFns(a); // validates α and p with the same messages as the float64 engine
  const kink = (alpha: number) => (z: tf.Tensor2D): tf.Tensor2D =>
    // tf.step(z, α) = z > 0 ? 1 : α, so step(z, 0) is relu' with relu'(0) = 0.
    reluPrimeAtZero ? tf.where<tf.Tensor2D>(tf.greaterEqual(z, 0), tf.onesLike(z), tf.fill(z.shape, alpha)) : tf.step(z, alpha);
  switch (a.kind) {
    case 'relu':
      return { kinked: true, apply: (z) => tf.relu(z), derivative: kink(0) };
    case 'leaky':
      return { kinked: true, apply: (z) => tf.leakyRelu(z, a.alpha), derivative: kink(a.alpha) };
    case 'identity':
      return { kinked: false, apply: (z) => z, derivative: null };
    case 'relupow': {
      const p = a.p;
      if (p === 1) return deviceActivation({ kind: 'relu' }, reluPrimeAtZero);
      // p = 2 (the generators' case) squares exactly once; other p go through pow.
      const power = (z: tf.Tensor2D, e: number): tf.Tensor2D => (e === 1 ? tf.relu(z) : e === 2 ? tf.square(tf.relu(z)) : tf.pow(tf.relu(z), e));
      return { kinked: false, apply: (z) => power(z, p), derivative: (z) => tf.mul<tf.Tensor2D>(power(z, p - 1), p) };
    }
    default:
      throw new InputError(
        `activation = ${JSON.stringify(a.kind)}: engine tfjs does not support it (supported: ${SUPPORTED_ACTIVATIONS.join(', ')})`,
      );
  }
}
