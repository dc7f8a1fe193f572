/**
 * The consumer tests write their pacts to a folder of their own (`consumerPact`), never straight
 * to the committed ones, and end by holding each against its committed copy (pactDir():
 * contracts/pacts, or NOGI_PACT_DIR):
 * - byte for byte, so that regenerating leaves `git status` clean (the pacts are deterministic:
 *   examples.ts);
 * - with no value of the run in it (a port, a host).
 * A missing copy is written (a fresh NOGI_PACT_DIR, as the gate's runs in a clone use); a different
 * one fails, unless the run updates snapshots (`--update-snapshots`), which replaces it. Otherwise
 * the committed pacts are only read, so the provider tests read them in the same run, beside the
 * consumer tests rather than after them.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { expect, test } from '@playwright/test';
import { EX } from './examples.ts';
import { CONSUMER, pactDir, pactFile, type ProviderName } from './names.ts';

/**
 * The pact of one consumer test file (call it at the file's top level): written to a folder made
 * before its tests (empty: Pact merges into a file it finds) and removed after them.
 */
export function consumerPact(provider: ProviderName): { readonly pact: PactV4; readonly file: string; expectCommitted(): void } {
  let dir = '';
  let pact: PactV4 | undefined;
  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nogi-pacts-'));
    pact = new PactV4({ consumer: CONSUMER, provider, dir, logLevel: 'warn' });
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get pact() {
      if (!pact) throw new Error('consumerPact: the pact exists from the file\'s beforeAll on');
      return pact;
    },
    /** The pact file this run wrote. */
    get file() {
      return pactFile(provider, dir);
    },
    expectCommitted: () => expectCommittedPact(provider, dir),
  };
}

function expectCommittedPact(provider: ProviderName, generatedDir: string): void {
  const generated = readFileSync(pactFile(provider, generatedDir), 'utf8');
  expect(generated.replaceAll(EX.redirectUri, '').replaceAll(encodeURIComponent(EX.redirectUri), ''), 'a value of this run in the pact').not.toMatch(/127\.0\.0\.1|localhost/);

  const committed = pactFile(provider, pactDir());
  const update = test.info().config.updateSnapshots;
  const write = () => {
    // Whole or not at all: a reader (the provider tests, in the same run) never sees half a file.
    writeFileSync(`${committed}.tmp`, generated);
    renameSync(`${committed}.tmp`, committed);
  };
  if (!existsSync(committed)) {
    expect(update, `${committed} does not exist, and this run updates no snapshot`).not.toBe('none');
    write();
    return;
  }
  if (update === 'all' || update === 'changed') {
    if (readFileSync(committed, 'utf8') !== generated) write();
    return;
  }
  // Compared as text, so that a failure shows where the two generations differ.
  expect(generated, `${committed} is not what the consumer tests generate: regenerate it with \`npx playwright test --project=pact-consumer --update-snapshots\` and commit it`).toBe(readFileSync(committed, 'utf8'));
}
