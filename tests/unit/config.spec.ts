/** Target resolution: what each target needs, and one clear message when something is missing. */
import { expect, test } from '@playwright/test';
import { ConfigError, resolveTarget as resolveWith } from '../../src/config/target.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';

const catalogue = await getCatalogue();
const resolveTarget = (env: Record<string, string | undefined>) => resolveWith(catalogue, env);
import { coverageMatrix, coverageMarkdown } from '../../src/reporting/coverage-reporter.ts';

const secret = 'partner-secret-Zx81';

test('preprod needs credentials and names every missing variable in one message', () => {
  const error = (() => {
    try {
      resolveTarget({ NOGI_TARGET: 'preprod' });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  expect(error).toBeInstanceOf(ConfigError);
  expect(error!.problems).toEqual([expect.stringMatching(/^NOGI_CLIENT_ID is missing/), expect.stringMatching(/^NOGI_CLIENT_SECRET is missing/)]);
  expect(error!.message).toMatch(/\.env/);
});

test('preprod uses the documented hosts and audiences; secrets stay out of messages', () => {
  const target = resolveTarget({ NOGI_TARGET: 'preprod', NOGI_CLIENT_ID: 'partner', NOGI_CLIENT_SECRET: secret });
  expect(target.accessBaseUrl).toBe('https://access-preprod.norskgjeld.no');
  expect(target.audiences).toEqual({
    agreement: 'https://api-preprod.norskgjeld.no/v1/consent/agreement',
    debt: 'https://api-preprod.norskgjeld.no/v1/debt',
    feed: 'https://api-preprod.norskgjeld.no/feed/v1/consent',
  });
  expect(target.capabilities).toMatchObject({ loginDriver: 'idporten-testid', regularConsent: false, faults: false, secondClient: false });
  try {
    resolveTarget({ NOGI_TARGET: 'preprod', NOGI_CLIENT_ID: 'partner', NOGI_CLIENT_SECRET: secret, NOGI_TEST_NIN: '123' });
    throw new Error('expected a ConfigError');
  } catch (e) {
    expect((e as Error).message).toMatch(/NOGI_TEST_NIN must be 11 digits/);
    expect((e as Error).message).not.toContain(secret);
  }
});

test('custom needs both base URLs, checks they are URLs, and derives audiences from the API host', () => {
  expect(() => resolveTarget({ NOGI_TARGET: 'custom', NOGI_CLIENT_ID: 'c', NOGI_CLIENT_SECRET: secret, NOGI_ACCESS_BASE_URL: 'ftp://x' }))
    .toThrow(/NOGI_ACCESS_BASE_URL must be an http\(s\) URL[\s\S]*NOGI_API_BASE_URL is missing/);
  const target = resolveTarget({
    NOGI_TARGET: 'custom', NOGI_CLIENT_ID: 'c', NOGI_CLIENT_SECRET: secret,
    NOGI_ACCESS_BASE_URL: 'http://127.0.0.1:1/', NOGI_API_BASE_URL: 'http://127.0.0.1:2/', NOGI_REDIRECT_URI: 'http://127.0.0.1:3/cb',
  });
  expect(target.apiBaseUrl).toBe('http://127.0.0.1:2');
  expect(target.audiences.debt).toBe('http://127.0.0.1:2/v1/debt');
  expect(target.capabilities.regularConsent).toBe(true);
  expect(target.capabilities.loginDriver).toBe('idporten-testid');
});

test('an unknown target or login driver is refused', () => {
  expect(() => resolveTarget({ NOGI_TARGET: 'prod' })).toThrow(/NOGI_TARGET must be mock, preprod or custom, got "prod"/);
  expect(() => resolveTarget({ NOGI_TARGET: 'preprod', NOGI_CLIENT_ID: 'c', NOGI_CLIENT_SECRET: secret, NOGI_LOGIN_DRIVER: 'bankid' })).toThrow(/NOGI_LOGIN_DRIVER/);
});

test('the coverage matrix counts documented pairs and lists undocumented ones', () => {
  const rows = coverageMatrix(
    [
      { contract: 'api', operationId: 'feed', status: 200 },
      { contract: 'api', operationId: 'feed', status: 200 },
      { contract: 'api', operationId: 'feed', status: 418 },
    ],
    [{ contract: 'api', operationId: 'feed', outcomes: ['200', '400'] }],
  );
  expect(rows).toEqual([
    { contract: 'api', operationId: 'feed', outcome: '200', documented: true, exercised: 2 },
    { contract: 'api', operationId: 'feed', outcome: '400', documented: true, exercised: 0 },
    { contract: 'api', operationId: 'feed', outcome: '418', documented: false, exercised: 1 },
  ]);
  expect(coverageMarkdown(rows)).toMatch(/1 of 2 documented[\s\S]*418 \(undocumented\)[\s\S]*## Not exercised\n\n- api feed 400/);
});

test('custom with nothing set names all four missing variables at once, and no secret ever appears', () => {
  const attempt = (env: Record<string, string>) => {
    try {
      resolveTarget(env);
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };
  const error = attempt({ NOGI_TARGET: 'custom' });
  expect(error.problems.map((p) => p.split(' ')[0])).toEqual(['NOGI_ACCESS_BASE_URL', 'NOGI_API_BASE_URL', 'NOGI_CLIENT_ID', 'NOGI_CLIENT_SECRET']);
  const withSecret = attempt({ NOGI_TARGET: 'custom', NOGI_CLIENT_SECRET: secret, NOGI_CLIENT2_SECRET: secret, NOGI_API_BASE_URL: 'nope' });
  expect(withSecret.problems.map((p) => p.split(' ')[0])).toEqual(['NOGI_ACCESS_BASE_URL', 'NOGI_API_BASE_URL', 'NOGI_CLIENT_ID']);
  expect(`${withSecret.message} ${withSecret.stack}`).not.toContain(secret);
});

test('the suite\'s target: a ConfigError whose stack is its message (no trace printed by the runner)', async () => {
  const { suiteTarget } = await import('../../src/config/suite-target.ts');
  const error = await suiteTarget({ NOGI_TARGET: 'preprod', NOGI_CLIENT_SECRET: secret }).then(() => undefined, (e: unknown) => e as ConfigError);
  expect(error).toBeInstanceOf(ConfigError);
  expect(error!.stack).toBe(`ConfigError: ${error!.message}`);
  expect(error!.stack).not.toMatch(/\n\s+at /);
  const mock = await suiteTarget({ NOGI_TARGET: 'mock', NOGI_ACCESS_BASE_URL: 'http://127.0.0.1:1', NOGI_API_BASE_URL: 'http://127.0.0.1:2' });
  expect(mock.capabilities).toMatchObject({ secondClient: true, clientWithoutAgreement: true, regularConsent: true, faults: false });
});
