/**
 * The provider's curl quick start (docs/get-started/index.md, "Quick start: Integrated consent
 * flow", steps 1-5; norsk-gjeldsinformasjon/api-docs @ b68fec2d) run literally with curl against
 * the simulator. Only the base URLs, the credentials and the ids returned by earlier steps are
 * replaced; the preprod audiences stay as written (the simulator accepts them).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { clients, findingsOf, useSimulator } from './helpers.ts';

const STEP1 = `curl -X POST https://access-preprod.norskgjeld.no/oauth2/token \\
  -u "YOUR_CLIENT_ID:YOUR_CLIENT_SECRET" \\
  -d "grant_type=client_credentials" \\
  -d "audience=https://api-preprod.norskgjeld.no/v1/consent/agreement" \\
  -d "scope=consent.create"`;
const STEP2 = `curl -X PUT https://api-preprod.norskgjeld.no/v1/consent/agreement \\
  -H "Authorization: Bearer ACCESS_TOKEN_FROM_STEP_1" \\
  -H "Content-Type: application/json" \\
  -d '{
    "nin": "14842249091",
    "scope_of_consent": "debt.unsecured.presentation",
    "consent_duration_days": 30,
    "client_consent_id": "my-unique-id-001"
  }'`;
const STEP3 = `curl -X POST https://access-preprod.norskgjeld.no/oauth2/token \\
  -u "YOUR_CLIENT_ID:YOUR_CLIENT_SECRET" \\
  -d "grant_type=client_credentials" \\
  -d "audience=https://api-preprod.norskgjeld.no/v1/debt" \\
  -d "scope=debt.unsecured.presentation"`;
const STEP4 = `curl -X GET https://api-preprod.norskgjeld.no/v1/debt/0dcec3d5-6844-4d2c-b972-83086064b111 \\
  -H "Authorization: Bearer ACCESS_TOKEN_FROM_STEP_3"`;
const STEP5 = `curl -X DELETE https://api-preprod.norskgjeld.no/v1/debt/0dcec3d5-6844-4d2c-b972-83086064b111 \\
  -H "Authorization: Bearer ACCESS_TOKEN_FROM_STEP_3"`;

const h = useSimulator();

/** Runs a documented command with bash; `-s -w` only adds the status code on a last line. */
// Asynchronous: the simulator runs in this process, a synchronous child would deadlock it.
const run = promisify(execFile);
async function curl(command: string, replace: Record<string, string>): Promise<{ status: number; body: string }> {
  let cmd = command.replace(/^curl /, 'curl -s -w "\\n%{http_code}" ');
  for (const [from, to] of Object.entries(replace)) cmd = cmd.split(from).join(to);
  const { stdout: out } = await run('bash', ['-c', cmd], { encoding: 'utf8', timeout: 15_000 });
  const lines = out.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

test('the integrated consent quick start works with only base URLs and credentials swapped', async () => {
  const a = clients.a;
  const base = {
    'https://access-preprod.norskgjeld.no': h.sim.accessUrl,
    'YOUR_CLIENT_ID': a.client_id,
    'YOUR_CLIENT_SECRET': a.client_secret,
  };
  const apiUrl = (cmd: string) => cmd.replace(/(curl -X \w+ )https:\/\/api-preprod\.norskgjeld\.no/, `$1${h.sim.apiUrl}`);

  let consentId = '';
  let debtToken = '';
  await test.step('1. Get an access token for the consent API', async () => {
    const r = await curl(STEP1, base);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ expires_in: 3599, scope: 'consent.create', token_type: 'bearer' });
    base['ACCESS_TOKEN_FROM_STEP_1' as keyof typeof base] = body.access_token;
  });
  await test.step('2. Register a consent', async () => {
    const r = await curl(apiUrl(STEP2), base);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.client_consent_id).toBe('my-unique-id-001');
    expect(body.consent.scope_of_consent).toBe('debt.unsecured.presentation');
    expect(await findingsOf('createConsent', { status: 200, contentType: 'application/json', body })).toEqual([]);
    consentId = body.consent.id;
  });
  await test.step('3. Get a token for the debt API', async () => {
    const r = await curl(STEP3, base);
    expect(r.status).toBe(200);
    debtToken = JSON.parse(r.body).access_token;
    expect(JSON.parse(r.body).scope).toBe('debt.unsecured.presentation');
  });
  const withIds = { ...base, 'ACCESS_TOKEN_FROM_STEP_3': debtToken, '0dcec3d5-6844-4d2c-b972-83086064b111': consentId };
  await test.step('4. Look up debt using the consent', async () => {
    const r = await curl(apiUrl(STEP4), withIds);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.ssn).toBe('14842249091');
    expect(body.consent).toMatchObject({ id: consentId, scope: 'debt.unsecured.presentation' });
    expect(body.numberOfCreditorsAnswered).toBeGreaterThan(0);
    expect(await findingsOf('getDebtWithConsentID', { status: 200, contentType: 'application/json', body })).toEqual([]);
  });
  await test.step('5. Revoke a consent', async () => {
    const r = await curl(apiUrl(STEP5), withIds);
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect((await curl(apiUrl(STEP4), withIds)).status).toBe(403);
  });
});
