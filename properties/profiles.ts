/**
 * Verification profiles (no dependencies, so the CLI can reject a bad `--profile` before it loads
 * fast-check and the suites).
 */
export type Profile = 'quick' | 'ci' | 'thorough';
export const PROFILES: readonly Profile[] = ['quick', 'ci', 'thorough'];

/** Runs per profile relative to a property's CI count. */
export const PROFILE_FACTOR: Record<Profile, number> = { quick: 0.25, ci: 1, thorough: 4 };
