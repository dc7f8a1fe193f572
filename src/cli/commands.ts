/**
 * The commands of nogi-conformance, in the order `--help` lists them: one table. To add a command,
 * add its CommandSpec here (its options by name from src/cli/options.ts, a new option added to
 * `cliOptions` there) and write what it runs in a module of its own, imported lazily by `run` so
 * that start-up stays fast. Help, "did you mean", refusals and exit 2 follow from the table
 * (src/cli/program.ts); nothing else changes.
 */
import type { CommandSpec } from './command.ts';

export const commands: readonly CommandSpec[] = [
  {
    name: 'doctor',
    summary: 'pre-flight checks: Node, Pact native library, Chromium, .env, target reachable, loopback',
    description: 'Checks the machine, .env and the target one by one; each failure with its fix. Exit 0 all passed, 2 configuration, 3 the target unreachable.',
    options: ['target'],
    reportsUnknownVariables: true,
    run: async (invocation) => (await import('./doctor.ts')).doctor(invocation),
  },
  {
    name: 'gate',
    summary: 'release gate: every lifecycle, security, Pact verification and the bi-directional check',
    description: 'Every spec tagged @gate against the target, then the committed pacts verified against it; reports/gate.md says what broke, in which step, and which contract rule. Strict by default: the RFC 6749 MUSTs the OAuth contract adopts are errors (--no-strict: warnings).',
    options: ['target', 'contract', 'reports', 'checksOff', 'shard', 'grep', 'strict', 'noStrict', 'minScore'],
    run: async ({ env, options }) => (await import('./gate.ts')).gate(env, options),
  },
  {
    name: 'onboarding',
    summary: 'partner checklist with a hint for each failure: reports/onboarding.md and .html',
    description: 'The ordered checklist a new partner works through (usually --target preprod): token, agreement, debt, status, revoke, feed, redirect flow, ID token; pass, fail or skip, with a likely cause and fix for each failure.',
    options: ['target', 'contract', 'reports', 'checksOff', 'minScore'],
    run: async ({ env, options }) => (await import('./onboarding.ts')).onboarding(env, options),
  },
  {
    name: 'health',
    summary: 'nightly health: fast lifecycle subset, latency per endpoint, drift from the published spec',
    description: 'A fast lifecycle subset, latency per endpoint (p50, p95, max) and drift between the vendored and the published contract: reports/health.json and health.md. Exit 1 on a failed check or drift.',
    options: ['target', 'contract', 'reports', 'checksOff', 'specUrl', 'samples', 'noDrift'],
    run: async ({ env, options }) => (await import('./health.ts')).health(env, options),
  },
  {
    name: 'checks',
    summary: 'list every check a response or exchange is judged by, with the rule it cites',
    description: 'The check registry (src/contract/checks.ts), in the order the checks run: each check\'s name (Schemathesis\' where it has the check), whether it judges one response, the request, or the exchanges before it (stateful), the rule it cites and where that rule is written. Checks switched off by NOGI_CHECKS_OFF are marked. Switch one off with --checks-off <names> on gate, onboarding and health.',
    options: [],
    run: async ({ env }) => (await import('./checks.ts')).listChecks(env),
  },
  {
    name: 'compare',
    summary: 'the simulator vs a real target: where they differ (reports/compare.md and .json)',
    description: 'Runs the same lifecycle subset against the simulator and --target preprod|custom through the one client, pairs the exchanges step by step and diffs status, content type, the headers that matter, JSON shape and error bodies. --record saves the target\'s debt answers as a persona pack with synthetic NINs and names. Exit 1 when they differ.',
    options: ['target', 'contract', 'reports', 'record'],
    run: async ({ env, options }) => (await import('./compare.ts')).compare(env, options),
  },
  {
    name: 'client-report',
    summary: 'grade what a partner\'s own client did in the sandbox: each rule, its evidence and fix, a score',
    description: 'Reads the sandbox\'s judgement of one client (its admin surface: `npm run mock -- --test-mode`) and writes reports/client-report.{md,html,json}. With --scenario, plays a scenario for the client instead; --reset forgets its recording. Exit 0 when no rule failed (or the score reaches --min-score), 1 otherwise, 3 when the sandbox does not answer.',
    options: ['client', 'admin', 'scenario', 'operation', 'set', 'errorReference', 'reset', 'minScore', 'reports'],
    run: async ({ env, options, cwd }) => (await import('./client-report.ts')).clientReport(options, env, cwd),
  },
  {
    name: 'certify',
    summary: 'sign the results of a gate, onboarding or client report as a certificate anyone can verify',
    description: 'Signs the results of the last finished gate or onboarding run (reports/run.json names its target and client), or a client report, as reports/certificate.json and certificate.jws (a JWS over its canonical JSON), with certificate-key.public.jwk for `verify --key`. Without a key, a development key is used and the certificate says so.',
    options: ['from', 'signingKey', 'validDays', 'minScore', 'reports'],
    run: async ({ env, options, cwd }) => (await import('./certify.ts')).certify(options, env, cwd),
  },
  {
    name: 'verify',
    summary: 'check a certificate offline: signature, contract hashes, expiry',
    description: 'Offline with --key: the signature, that the certificate names the contracts this suite (or --contracts) has, and its expiry. Exit 0 when all hold, 1 with the reason when one does not. Give exactly one of --key and --jwks.',
    options: ['publicKey', 'jwks', 'contracts'],
    argument: '<certificate>',
    run: async ({ options, args, cwd }) => (await import('./verify.ts')).verify(args[0]!, options, cwd),
  },
  {
    name: 'contract',
    summary: 'the provider\'s contract versions: diff a document, vendor it as a new version, switch the default',
    description: 'contract diff <file|url> [--against <version>]: the changes from the version (default: the current one) to the document, grouped by who must act. contract update <file|url> [--as <id>] [--published <date>]: vendors the document unchanged as contracts/versions/<id>/ (not the default), copies the default\'s errata, lists those that match nothing and what adopting it touches. contract default <version>: makes a vendored version the default. Exit 0 done, 2 an unreadable or non-OpenAPI document, an unknown version or an existing one.',
    options: ['against', 'as', 'published'],
    argument: '<action> [input]',
    run: async ({ options, args, cwd }) => (await import('./contract.ts')).contract(args[0]!, args[1], options, cwd),
  },
  {
    name: 'pact',
    summary: 'Pact: verify the committed pacts against the target, publish them, ask the broker can-i-deploy',
    description: [
      'pact verify: the committed pacts (contracts/pacts, or NOGI_PACT_DIR) against the target the environment names (NOGI_TARGET=custom with NOGI_ACCESS_BASE_URL, NOGI_API_BASE_URL, NOGI_CLIENT_ID, NOGI_CLIENT_SECRET, ...); with none, against a simulator started on free ports. Writes reports/pact/verification.json and .txt (masked). PACT_VERIFY_FROM_BROKER=1 fetches the pacts from the broker instead.',
      'pact publish: the pacts to the Pact Broker (PACT_BROKER_BASE_URL with PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD). pact can-i-deploy: asks the broker whether this version may be deployed (PACT_PACTICIPANT, PACT_ENVIRONMENT). Without PACT_BROKER_BASE_URL both say so and exit 0.',
      'Exit 0 passed, 1 a failed verification (can-i-deploy: not deployable), 2 configuration. See src/pact/README.md.',
    ].join('\n'),
    options: ['target', 'contract', 'reports'],
    argument: '<action>',
    run: async ({ env, args }) => (await import('./pact.ts')).pact(args[0]!, env),
  },
  {
    name: 'sandbox',
    summary: 'the simulator as a sandbox on localhost, as `npm run mock` (its flags and NOGI_SIM_* settings)',
    description: [
      'A stateful NoGi on localhost with its consent page, synthetic people and switchable faults: the same program and settings as `npm run mock` in a clone.',
      'Every argument goes to the simulator: --port-access N, --port-api N, --port-admin N, --host H, --admin-host H, --test-mode, --deviations a,b, --fixtures DIR, --data-dir DIR, --memory, --contract V.',
      'Settings from .env and the environment: NOGI_SIM_* (see .env.example). State is kept in ./.nogi-sim unless --memory.',
      'Prints the access, API and discovery URLs (and the admin URL in test mode), one per line; runs until Ctrl-C. Exit 2 for a bad flag or setting.',
    ].join('\n'),
    options: [],
    argument: '[simulator-flags...]',
    passThrough: true,
    run: async ({ env, args }) => (await import('./sandbox.ts')).sandbox(args, env),
  },
];
