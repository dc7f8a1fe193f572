/** checks: the check registry, as a list a person reads (src/contract/checks.ts). */
import { checkNames, checks, parseChecksOff } from '../contract/checks.ts';
import { ExitCode } from './exit-codes.ts';

function checksListing(env: NodeJS.ProcessEnv = {}): string {
  const off = new Set(parseChecksOff(env.NOGI_CHECKS_OFF));
  const lines = [`${checkNames.length} checks (src/contract/checks.ts). Switch one off with --checks-off <names> or NOGI_CHECKS_OFF: it then judges nothing, and every report lists it as switched off, never as passed.`, ''];
  for (const name of checkNames) {
    const check = checks[name];
    const kind = check.kind === 'stateful' ? 'stateful: the exchanges before it' : check.kind === 'request' ? 'the request' : 'each response';
    lines.push(`${name} (${kind})${off.has(name) ? ' — SWITCHED OFF (NOGI_CHECKS_OFF)' : ''}`);
    lines.push(`  rule: ${check.rule}`);
    lines.push(`  source: ${check.source}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function listChecks(env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(checksListing(env));
  return Promise.resolve(ExitCode.passed);
}
