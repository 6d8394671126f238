/** `margincheck reproduce <name> [--quick] [--out DIR] [--engine E]`: progress lines, claims, the report path. */
import { reproduce } from '../reproduce/index.js';

export async function reproduceCommand(name: string, opts: { quick?: boolean; out: string; engine?: string }): Promise<number> {
  const started = performance.now();
  console.log(`margincheck reproduce ${name}${opts.quick ? ' --quick' : ''}`);
  const outcome = await reproduce(name, { ...opts, log: (line) => console.log(line) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${outcome.ok ? 'every asserted claim holds' : 'an asserted claim does NOT hold'} (${seconds} s wall)`);
  console.log(`report: ${outcome.html}`);
  return outcome.ok ? 0 : 1;
}
