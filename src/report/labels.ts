/** How charts and pages name norms, margins and numbers (margins are named by their norm, THEORY §2). */

const SUBSCRIPT: Readonly<Record<string, string>> = { l1: '₁', l2: '₂', linf: '∞' };

/** ℓ₁, ℓ₂, ℓ∞ for the coordinate norms; any other registry name (spectral, lp:3, …) as it is. */
export function normLabel(name: string): string {
  const sub = SUBSCRIPT[name];
  return sub ? `ℓ${sub}` : name;
}

/** γ₁, γ₂, γ∞ (or γ̃₁ … for the soft margin); γ[spectral] for other norms. */
export function marginSymbol(norm: string, soft = false): string {
  const sub = SUBSCRIPT[norm] ?? `[${norm}]`;
  return `γ${soft ? '\u0303' : ''}${sub}`;
}

/** Three significant digits without trailing zeros (2, 0.002, 1.23e-7); non-finite values as they are. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}
