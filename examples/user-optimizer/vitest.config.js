import { defineConfig } from 'vitest/config';

// The suite trains small nets and runs Theorem 3.1 checks: seconds per test, not milliseconds.
export default defineConfig({ test: { testTimeout: 60_000 } });
