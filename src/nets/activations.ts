/**
 * Activations φ with the derivative convention used everywhere in margincheck:
 * relu'(0) = 0 (the subgradient for which Euler's identity ⟨θ, ∇f⟩ = L f holds exactly, THEORY §6).
 * `power` is the homogeneity degree p of φ (φ(cz) = c^p φ(z), c > 0), or null when φ is not
 * positively homogeneous.
 */
import { InputError } from '../core/errors.js';

export type Activation =
  | { kind: 'relu' }
  | { kind: 'leaky'; alpha: number }
  | { kind: 'identity' }
  | { kind: 'relupow'; p: number }
  | { kind: 'tanh' }
  | { kind: 'softplus' }
  | { kind: 'gelu' };

export interface ActivationFns {
  readonly label: string;
  readonly power: number | null;
  /** True when φ' jumps at 0 (ReLU-type), so trajectories can cross kinks. */
  readonly kinked: boolean;
  /** φ(z) */
  f(z: number): number;
  /** φ'(z), with relu'(0) = 0 */
  df(z: number): number;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function activationFns(a: Activation): ActivationFns {
  switch (a.kind) {
    case 'relu':
      return { label: 'relu', power: 1, kinked: true, f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) };
    case 'leaky': {
      const al = a.alpha;
      if (!(Number.isFinite(al) && al >= 0 && al < 1)) {
        throw new InputError(`activation.alpha = ${al}: leaky ReLU needs 0 ≤ alpha < 1`);
      }
      return { label: `leaky(${al})`, power: 1, kinked: true, f: (z) => (z > 0 ? z : al * z), df: (z) => (z > 0 ? 1 : al) };
    }
    case 'identity':
      return { label: 'identity', power: 1, kinked: false, f: (z) => z, df: () => 1 };
    case 'relupow': {
      const p = a.p;
      if (!(Number.isFinite(p) && p >= 1)) throw new InputError(`activation.p = ${p}: relu^p needs a finite p ≥ 1`);
      return {
        label: `relu^${p}`,
        power: p,
        kinked: p === 1,
        f: (z) => (z > 0 ? Math.pow(z, p) : 0),
        df: (z) => (z > 0 ? p * Math.pow(z, p - 1) : 0),
      };
    }
    case 'tanh':
      return { label: 'tanh', power: null, kinked: false, f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 };
    case 'softplus':
      return {
        label: 'softplus',
        power: null,
        kinked: false,
        f: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))),
        df: (z) => 1 / (1 + Math.exp(-z)),
      };
    case 'gelu':
      // The tanh approximation of GELU (JavaScript has no erf); non-homogeneous either way.
      return {
        label: 'gelu',
        power: null,
        kinked: false,
        f: (z) => 0.5 * z * (1 + Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z ** 3))),
        df: (z) => {
          const t = Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z ** 3));
          return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * z * z);
        },
      };
    default:
      throw new InputError(
        `activation = ${JSON.stringify(a)}: unknown (valid: relu, leaky, identity, relupow, tanh, softplus, gelu)`,
      );
  }
}
