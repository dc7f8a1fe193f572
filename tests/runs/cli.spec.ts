/**
 * The CLI surface: help per command, --version, usage mistakes (short, specific, "did you mean",
 * exit 2), unknown NOGI_* variables, a run Playwright refused, doctor's checks (skipped ones, the
 * .env it read) and exit codes, the gate summary, and the CLI's modules free of import cycles.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import ts from 'typescript';
import { contractRules, gateSummary } from '../../src/cli/gate.ts';
import { runEnvironment, type CliOptions, type OptionName } from '../../src/cli/options.ts';
import { parse, version } from '../../src/cli/program.ts';
import { commands as commandTable } from '../../src/cli/commands.ts';
import type { CommandSpec } from '../../src/cli/command.ts';
import { checkNode } from '../../src/cli/doctor.ts';
import { listedVariables, loadEnvFile, unknownVariables } from '../../src/cli/settings.ts';
import type { RunResults, RunTest } from '../../src/reporting/results.ts';
import { RunNotStartedError } from '../../src/cli/exit-codes.ts';
import { runPlaywright } from '../../src/cli/run-playwright.ts';
import { tagGrep } from '../../src/cli/tagged-run.ts';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, folderOutsideProject, root, runCli, runCliInProcess, startQuietSimulator } from './helpers.ts';

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The options a command line parses to (a usage mistake throws). */
function optionsOf(argv: string[]): CliOptions {
  const parsed = parse(argv);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${argv.join(' ')}`);
  return parsed.options;
}

test('--help lists the commands and the exit codes, exit 0; --version prints the version', async () => {
  const r = await runCli(['--help'], cleanEnv({}));
  expect(r.code).toBe(0);
  for (const word of ['doctor', 'gate', 'onboarding', 'health', '--version', 'Exit codes', '3  the target is unreachable']) expect(r.stdout).toContain(word);
  const v = await runCli(['--version'], cleanEnv({}));
  expect(v.code).toBe(0);
  expect(v.stdout).toBe(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
});

test('<command> --help and help <command> show that command: its usage and only its options', async () => {
  const r = await runCli(['doctor', '--help'], cleanEnv({}));
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: nogi-conformance doctor \[options\]/);
  expect(r.stdout).toContain('--target <name>');
  expect(r.stdout).not.toContain('--samples');
  expect(r.stdout).not.toContain('Commands:');
  // Every registered command has a help of its own listing exactly the options it takes.
  for (const command of commandTable) {
    const help = parse(['help', command.name]);
    expect(help.kind === 'print' && help.exitCode === 0, command.name).toBe(true);
    const text = help.kind === 'print' ? help.text : '';
    expect(text).toContain(`Usage: nogi-conformance ${command.name}`);
    const flags: Record<string, OptionName> = { '--target': 'target', '--reports': 'reports', '--shard': 'shard', '--grep': 'grep', '--spec-url': 'specUrl', '--samples': 'samples', '--no-drift': 'noDrift' };
    for (const [flag, name] of Object.entries(flags)) expect(text.includes(`${flag} `), `${command.name} ${flag}`).toBe(command.options.includes(name));
  }
});

test('a mistake gets a short, specific message on stderr, "did you mean" where one is close, exit 2', async () => {
  const mistakes: Array<[string[], RegExp]> = [
    [['doctr'], /^nogi-conformance: unknown command 'doctr' \(Did you mean doctor\?\)\n/],
    [['gate', '--tagret', 'mock'], /^nogi-conformance: unknown option '--tagret' \(Did you mean --target\?\)\n/],
    [['doctor', '--samples', '3'], /^nogi-conformance: doctor does not take --samples \(health does\)\n/],
    [['--verbose'], /^nogi-conformance: unknown option '--verbose'\n/],
    [['gate', 'now'], /^nogi-conformance: too many arguments for 'gate'/],
    [['--target', 'mock', 'gate'], /^nogi-conformance: --target goes after the command: nogi-conformance gate --target/],
  ];
  for (const [args, message] of mistakes) {
    const r = await runCliInProcess(args, cleanEnv({}));
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr, args.join(' ')).toMatch(message);
    // One line saying what is wrong, one usage line: never the whole help, never Node's own error.
    expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(2);
    expect(r.stderr).toMatch(/\nUsage: nogi-conformance \S+ \[options\] {2}\(nogi-conformance (\S+ )?--help for more\)\n$/);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|TypeError|at .*\.ts:\d+/);
    expect(r.stdout).toBe('');
  }
  const none = await runCliInProcess([], cleanEnv({}));
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/^Usage: nogi-conformance <command> \[options\]\n\nCommands:\n {2}doctor /);
  expect(() => parse(['health', '--samples', '500'])).toThrow('--samples must be a whole number from 1 to 20, got "500"');
  expect(() => parse(['health', '--samples', '2.5'])).toThrow('--samples');
  expect(() => parse(['gate', '--target', 'prod'])).toThrow('--target must be mock, preprod or custom, got "prod"');
  expect(() => parse(['gate', '--contract', '3770c4f'])).toThrow('--contract: Unknown contract version "3770c4f": this suite vendors b68fec2, 3770c4e (contracts/versions/); did you mean 3770c4e?');
  expect(optionsOf(['gate', '--contract', 'b68fec2'])).toMatchObject({ contract: 'b68fec2' });
  // A misspelt NOGI_CONTRACT stops every run at once with one line (doctor shows it as a failed check).
  const misspelt = await runCliInProcess(['gate'], cleanEnv({ NOGI_CONTRACT: 'b68fec3' }));
  expect([misspelt.code, misspelt.stderr]).toEqual([2, 'nogi-conformance: NOGI_CONTRACT: Unknown contract version "b68fec3": this suite vendors b68fec2, 3770c4e (contracts/versions/); did you mean b68fec2?\n']);
  expect(optionsOf(['health', '--samples', '3', '--no-drift'])).toMatchObject({ samples: 3, drift: false });
  expect(optionsOf(['health'])).toMatchObject({ drift: true });
});

test('pact is a command of the CLI: its action checked with "did you mean", exit 2; without a broker publish is skipped, exit 0', async () => {
  const mistyped = await runCliInProcess(['pact', 'verfy'], cleanEnv({}));
  expect([mistyped.code, mistyped.stderr, mistyped.stdout]).toEqual([2, 'nogi-conformance: pact takes verify, publish or can-i-deploy, got "verfy"; did you mean verify?\n', '']);
  const missing = await runCliInProcess(['pact'], cleanEnv({}));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^nogi-conformance: missing required argument 'action'\nUsage: nogi-conformance pact \[options\] <action>/);
  const publish = await runCliInProcess(['pact', 'publish'], cleanEnv({}));
  expect(publish.code, publish.stderr).toBe(0);
  expect(publish.stdout).toContain('pact publish skipped: PACT_BROKER_BASE_URL is not set');
  // npm run pact:* are this command, as the other scripts are the CLI's.
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect([scripts['pact:verify'], scripts['pact:publish'], scripts['pact:can-i-deploy']]).toEqual(['node bin/nogi-conformance.js pact verify', 'node bin/nogi-conformance.js pact publish', 'node bin/nogi-conformance.js pact can-i-deploy']);
});

test('sandbox hands its arguments to the simulator\'s own parser: a mistake is its line, exit 2; good flags serve', async () => {
  const r = await runCli(['sandbox', '--port-acess', '0'], cleanEnv({}));
  expect([r.code, r.stderr, r.stdout]).toEqual([2, "nogi simulator: unknown option '--port-acess' (Did you mean --port-access?)\n", '']);
  const child = spawn(process.execPath, [join(root, 'bin/nogi-conformance.js'), 'sandbox', '--port-access', '0', '--port-api', '0', '--memory'], { cwd: folderOutsideProject(), env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await expect.poll(() => stdout.split('\n').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  const [access, api] = stdout.split('\n');
  expect((await fetch(`${access}/.well-known/openid-configuration`)).status).toBe(200);
  expect((await fetch(`${api}/feed/v1/consent/lastSequenceNr`)).status).toBe(401);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

test('a command is one CommandSpec added to the list: help, options and refusals follow from it', () => {
  const extra: CommandSpec = { name: 'compare-demo', summary: 'a command added for this test', options: ['target', 'samples'], run: () => Promise.resolve(0) };
  const commands = [...commandTable, extra];
  const parsed = parse(['compare-demo', '--target', 'custom', '--samples', '2'], commands);
  expect(parsed.kind === 'run' && parsed.command).toBe(extra);
  expect(parsed.kind === 'run' && parsed.options).toMatchObject({ target: 'custom', samples: 2 });
  expect(() => parse(['compare-demo', '--shard', '1/2'], commands)).toThrow('compare-demo does not take --shard (gate does)');
  expect(() => parse(['doctor', '--samples', '2'], commands)).toThrow('doctor does not take --samples (health, compare-demo do)');
  const help = parse(['--help'], commands);
  expect(help.kind === 'print' && help.text).toContain('a command added for this test');
});

test('unknown NOGI_* variables: listed names from .env.example, the closest known name suggested', () => {
  expect(listedVariables('# a comment\nNOGI_TARGET=mock\n# NOGI_CLIENT_ID=\n#NOGI_X=1\nnot_this=1\n')).toEqual(['NOGI_TARGET', 'NOGI_CLIENT_ID', 'NOGI_X']);
  const found = unknownVariables({ NOGI_CLIENTID: 'x', NOGI_TARGET: 'mock', NOGI_TARGT: 'preprod', NOGI_SOMETHING_ELSE_ENTIRELY: '1', PACT_FOO: '1', HOME: '/' });
  expect(found).toEqual([
    { name: 'NOGI_CLIENTID', source: 'the environment', suggestion: 'NOGI_CLIENT_ID' },
    { name: 'NOGI_SOMETHING_ELSE_ENTIRELY', source: 'the environment' },
    { name: 'NOGI_TARGT', source: 'the environment', suggestion: 'NOGI_TARGET' },
  ]);
});

test('a run refuses to start on an unknown NOGI_* variable in .env, naming the file and the closest name, exit 2', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'nogi-cli-env-'));
  writeFileSync(join(cwd, '.env'), 'NOGI_TARGET=custom\nNOGI_CLIENTID=abc\n');
  const file = loadEnvFile(cwd, {});
  expect(file).toEqual({ path: join(cwd, '.env'), found: true, names: ['NOGI_TARGET', 'NOGI_CLIENTID'] });
  const reports = test.info().outputPath('reports');
  const r = await runCliInProcess(['gate'], cleanEnv({ NOGI_REPORTS_DIR: reports }), cwd);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('nogi-conformance: NOGI_CLIENTID (in .env) is not a nogi-conformance setting: did you mean NOGI_CLIENT_ID?\nRename or remove it; nogi-conformance doctor checks every setting.\n');
  expect(existsSync(reports)).toBe(false);
});

test('NOGI_ALLURE_REPORT other than 0 or 1 stops a run before it starts: exit 2, one line', async () => {
  const reports = test.info().outputPath('reports');
  const r = await runCliInProcess(['gate'], cleanEnv({ NOGI_REPORTS_DIR: reports, NOGI_ALLURE_REPORT: 'yes' }));
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('nogi-conformance: NOGI_ALLURE_REPORT must be 1 (render the Allure report, the default) or 0, got "yes"\n');
  expect(r.stdout).toBe('');
  expect(existsSync(reports)).toBe(false);
});

test('--shard i/n is checked before anything starts: 1 <= i <= n, else exit 2 with one line, no summary', async () => {
  expect(optionsOf(['gate', '--shard', '2/3']).shard).toEqual({ index: 2, total: 3 });
  for (const shard of ['5/3', '0/3', '1/0', '3', 'a/b', '-1/2']) expect(() => parse(['gate', '--shard', shard]), shard).toThrow('--shard');
  const reports = test.info().outputPath('reports');
  const r = await runCliInProcess(['gate', '--shard', '5/3'], cleanEnv({ NOGI_REPORTS_DIR: reports }));
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('nogi-conformance: --shard 5/3: the index must be from 1 to the total (1/3 … 3/3)\n');
  expect(r.stdout).toBe('');
  expect(existsSync(reports)).toBe(false);
});

test('a run Playwright refuses (it writes no results, or only errors) is a configuration error, never an earlier results.json', async () => {
  const reports = test.info().outputPath('reports');
  const env = cleanEnv({ NOGI_REPORTS_DIR: reports });
  // An earlier run's results, which must not be read as this run's.
  const plantStale = (): void => {
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, 'results.json'), JSON.stringify({ config: {}, suites: [], errors: [], stats: { expected: 38, unexpected: 0, flaky: 0, skipped: 0 } }));
  };
  // A project Playwright does not know: it stops before any reporter, and writes nothing.
  plantStale();
  const unknownProject = runPlaywright({ projects: ['no-such-target'], grep: '@gate', env });
  await expect(unknownProject).rejects.toThrow(RunNotStartedError);
  await expect(unknownProject).rejects.toThrow(/^Playwright did not run \(exit 1\): Error: Project\(s\) "no-such-target" not found/);
  expect(existsSync(join(reports, 'results.json'))).toBe(false);
  // An invalid expression: the reporters start, and report only the error.
  plantStale();
  await expect(runPlaywright({ projects: ['unit'], grep: '[', env })).rejects.toThrow(/^Playwright ran no test \(exit 1\): SyntaxError: Invalid regular expression/);
});

test('the CLI: a refused run or an invalid --grep is exit 2 with one line on stderr, no summary', async () => {
  const reports = test.info().outputPath('reports');
  const grep = await runCliInProcess(['gate', '--grep', '['], cleanEnv({ NOGI_REPORTS_DIR: reports }));
  expect(grep.code).toBe(2);
  expect(grep.stderr).toMatch(/^nogi-conformance: --grep: Invalid regular expression: [^\n]*\n$/);
  expect(grep.stdout).toBe('');
  // A run Playwright refuses, through the whole CLI: an option it does not know.
  const refused = await runCliInProcess(['gate'], cleanEnv({ NOGI_REPORTS_DIR: reports, NOGI_PLAYWRIGHT_ARGS: '--no-such-option' }));
  expect(refused.code, refused.stdout + refused.stderr).toBe(2);
  const lines = refused.stderr.trimEnd().split('\n');
  expect(lines, refused.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^nogi-conformance: Playwright did not run \(exit 1\): /);
  expect(refused.stdout).not.toMatch(/Release gate|PASSED|FAILED|passed,/);
  expect(existsSync(join(reports, 'gate.md'))).toBe(false);
});

test('the tag grep selects by whole tag, and combines with --grep', () => {
  const matches = (grep: string, title: string): boolean => new RegExp(grep).test(title);
  expect(matches(tagGrep('@gate'), 'integrated consent lifecycle @gate')).toBe(true);
  expect(matches(tagGrep('@gate'), 'integrated consent lifecycle @gateway')).toBe(false);
  expect(matches(tagGrep('@gate', 'revoke'), 'revoke a consent @gate @health')).toBe(true);
  expect(matches(tagGrep('@gate', 'revoke'), 'revoke a consent @health')).toBe(false);
  expect(matches(tagGrep('@gate', 'revoke'), 'register a consent @gate')).toBe(false);
});

test('flags override the environment; empty NOGI_* values mean unset; the reports folder is absolute', () => {
  const env = runEnvironment(optionsOf(['health', '--target', 'custom', '--spec-url', 'http://127.0.0.1:1/x.json', '--samples', '3']), { NOGI_TARGET: 'preprod', NOGI_ACCESS_BASE_URL: '' }, '/somewhere');
  expect(env.NOGI_TARGET).toBe('custom');
  expect(env.NOGI_PUBLISHED_SPEC_URL).toBe('http://127.0.0.1:1/x.json');
  expect(env.NOGI_HEALTH_SAMPLES).toBe('3');
  expect(env.NOGI_REPORTS_DIR).toBe('/somewhere/reports');
  expect('NOGI_ACCESS_BASE_URL' in env).toBe(false);
  expect(runEnvironment(optionsOf(['gate', '--reports', 'out']), {}, '/w').NOGI_REPORTS_DIR).toBe('/w/out');
});

test('the CLI modules import no cycle (options live in their own module)', () => {
  const cli = join(root, 'src/cli');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(cli);
  // Static, re-exported and dynamic imports, read by the TypeScript compiler (as tests/unit/architecture.spec.ts reads them between folders).
  const relativeImports = (f: string): string[] => ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles.map((i) => i.fileName).filter((n) => n.startsWith('.'));
  const imports = new Map(files.map((f) => [f, relativeImports(f).map((n) => resolve(dirname(f), n)).filter((t) => t.startsWith(cli))]));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    state.set(file, 'open');
    for (const next of imports.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map((p) => p.slice(cli.length + 1)).join(' → '));
      else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(file, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f, [f]);
  expect(cycles).toEqual([]);
});

test('doctor checks Node, Pact, Chromium, the .env it read, known variables, the contract version, target and loopback; a Node below 20 is refused', async () => {
  const r = await runCliInProcess(['doctor'], cleanEnv({ NOGI_TARGET: 'mock' }));
  expect(r.code, r.stdout).toBe(0);
  for (const check of ['Node.js ≥ 20', 'Pact native library: pact_ffi', 'Chromium', `✓ Settings file: no ${folderOutsideProject()}/.env: settings from the environment only`, '✓ Known NOGI_* variables', '✓ Contract version: 3770c4e (the default; OpenAPI 3.1.0, published 2026-09-14)', '.env complete for mock', 'Target reachable: the simulator starts', 'Loopback binding (127.0.0.1): listened on 127.0.0.1:']) expect(r.stdout).toContain(check);
  expect(r.stdout).toMatch(/\n9 passed, 0 failed\n$/);
  expect(checkNode('18.19.0')).toMatchObject({ status: 'failed', kind: 'config' });
  expect(checkNode('18.19.0').fix).toContain('Node.js 20');
});

test.describe('doctor against a custom target', () => {
  let sim: RunningSimulator;
  test.beforeAll(async () => {
    sim = await startQuietSimulator();
  });
  test.afterAll(async () => {
    await sim?.close();
  });

  test('complete and reachable: exit 0, the secret never printed', async () => {
    const r = await runCliInProcess(['doctor'], cleanEnv(customTarget(sim)));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/✓ Target reachable: access host \(OpenID discovery\): .* → HTTP 200/);
    expect(r.stdout + r.stderr).not.toContain(customTarget(sim).NOGI_CLIENT_SECRET!);
  });

  test('incomplete .env: each missing variable listed with the fix, the reachability check shown as skipped, exit 2', async () => {
    const r = await runCliInProcess(['doctor'], cleanEnv({ ...customTarget(sim), NOGI_CLIENT_ID: undefined, NOGI_API_BASE_URL: undefined }));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('NOGI_CLIENT_ID is missing');
    expect(r.stdout).toContain('NOGI_API_BASE_URL is missing');
    expect(r.stdout).toContain('fix: Set these in .env');
    expect(r.stdout).toContain('- Target reachable: skipped: needs a complete .env for custom');
    expect(r.stdout).toMatch(/\n\d+ passed, 1 failed, 1 skipped\n$/);
  });

  test('the .env of the folder it runs from: named, read, and a mistyped name in it flagged with the closest known one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'nogi-doctor-env-'));
    const { NOGI_CLIENT_ID: clientId, ...rest } = customTarget(sim);
    writeFileSync(join(cwd, '.env'), Object.entries({ ...rest, NOGI_CLIENTID: clientId }).map(([k, v]) => `${k}=${v}`).join('\n'));
    const r = await runCliInProcess(['doctor'], cleanEnv({}), cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`✓ Settings file: read ${join(cwd, '.env')} (6 NOGI_/PACT_ variables; the environment wins over it)`);
    expect(r.stdout).toContain('✗ Known NOGI_* variables: not a setting of nogi-conformance:\n      - NOGI_CLIENTID (in .env) is not a nogi-conformance setting: did you mean NOGI_CLIENT_ID?');
    expect(r.stdout).toContain('NOGI_CLIENT_ID is missing');
    expect(r.stdout + r.stderr).not.toContain(rest.NOGI_CLIENT_SECRET!);
  });

  test('unreachable target: the host and the reason, exit 3', async () => {
    const port = await closedPort();
    const r = await runCliInProcess(['doctor'], cleanEnv({ ...customTarget(sim), NOGI_API_BASE_URL: `http://127.0.0.1:${port}` }));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`✗ Target reachable: API host: http://127.0.0.1:${port}/feed/v1/consent/lastSequenceNr: connection refused`);
  });
});

const aTest = (overrides: Partial<RunTest>): RunTest => ({
  project: 'custom', file: 'integrated-consent.spec.ts', titlePath: ['x'], title: 'x', tags: ['@gate'], outcome: 'passed', durationMs: 5, annotations: [], attemptAnnotations: [[]], steps: [], ...overrides,
});

test('gate summary names the failing step, the contract rule and its error, per spec counts, masked', () => {
  const contractError = 'Contract violation in getDebt:\n  [status_code_conformance] getDebt responses: at status expected 200 or 403, got 401\n';
  const results: RunResults = {
    errors: [],
    counts: { passed: 1, failed: 2, skipped: 1 },
    tests: [
      aTest({ titlePath: ['Integrated consent'], title: 'Integrated consent' }),
      aTest({
        titlePath: ['Revoke'], title: 'Revoke', outcome: 'failed', error: 'outer',
        steps: [{ title: 'Revoke a consent', failed: true, error: 'outer', steps: [{ title: 'Check the status', failed: true, error: 'expected active=false for 14842249091, got true', steps: [] }] }],
      }),
      aTest({ file: 'security.spec.ts', titlePath: ['debt with a feed token'], outcome: 'failed', error: contractError, steps: [{ title: 'Look up debt', failed: true, error: contractError, steps: [] }] }),
      aTest({ file: 'regular-consent.spec.ts', titlePath: ['second client'], title: 'second client', outcome: 'skipped', annotations: [{ type: 'skip', description: 'target offers no second client' }] }),
    ],
  };
  const md = gateSummary(results, 'custom', 1, { status: 'failed', exitCode: 1 });
  expect(md).toContain('Pact verification against the target: **FAILED**');
  expect(gateSummary({ ...results, tests: [results.tests[0]!], counts: { passed: 1, failed: 0, skipped: 0 } }, 'mock', 0, { status: 'passed', exitCode: 0 })).toContain('**PASSED**');
  expect(md).toContain('**FAILED**: 1 passed, 2 failed, 1 skipped');
  expect(md).toContain('| integrated-consent.spec.ts | 1 | 1 | 0 |');
  expect(md).toContain('  - step: Check the status');
  expect(md).toContain('expected active=false for 1*********1, got true');
  expect(md).toContain('  - step: Look up debt\n  - contract rule: [status_code_conformance] getDebt responses: at status expected 200 or 403, got 401');
  expect(md).toContain('second client: target offers no second client');
  expect(contractRules('no rule here')).toEqual([]);
});
