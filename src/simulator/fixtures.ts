/**
 * The simulator's clients and people, from JSON files a partner can edit or replace
 * (NOGI_SIM_FIXTURES / SimulatorOptions.fixturesDir). Validated at load; a bad file fails with a
 * message naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Catalogue } from '../contract/catalogue.ts';
import { packagePath } from '../package-root.ts';
import { redact } from '../reporting/redact.ts';
import { isValidNin } from './rules.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const defaultFixturesDir = `${packagePath('fixtures', 'simulator')}${sep}`;

export interface SimClient {
  name: string;
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  allowed_scopes: string[];
  /** Has the integrated-consent agreement (may call PUT /v1/consent/agreement). */
  integratedConsent: boolean;
}

export interface SimLoan {
  creditorName: string;
  loan: Record<string, unknown> & { type: 'creditFacility' | 'repaymentLoan' | 'chargeCard' };
}

export interface SimPerson {
  nin: string;
  name?: string;
  loans: SimLoan[];
}

export interface SimulatorFixtures {
  dir: string;
  clients: SimClient[];
  people: SimPerson[];
}

export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureError';
  }
}

const clientsSchema = {
  type: 'object',
  required: ['clients'],
  properties: {
    clients: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'client_id', 'client_secret', 'redirect_uris', 'allowed_scopes', 'integratedConsent'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          client_id: { type: 'string', format: 'uuid' },
          client_secret: { type: 'string', minLength: 8 },
          redirect_uris: { type: 'array', items: { type: 'string', format: 'uri', pattern: '^https?://' } },
          // Which scopes exist is the contract's: checkClientScopes, once the catalogue is loaded.
          allowed_scopes: { type: 'array', items: { type: 'string', minLength: 1 } },
          integratedConsent: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const amount = { type: 'integer', minimum: 0 } as const;
const common = {
  timestamp: { type: 'string', format: 'date-time' },
  coBorrower: { enum: [0, 1, 2] },
} as const;
const period = { enum: ['MONTHLY', 'QUARTERLY', 'HALF-YEARLY', 'YEARLY'] } as const;
const peopleSchema = {
  type: 'object',
  required: ['people'],
  properties: {
    people: {
      type: 'array',
      items: {
        type: 'object',
        required: ['nin', 'loans'],
        additionalProperties: false,
        properties: {
          nin: { type: 'string', pattern: '^[0-9]{11}$' },
          name: { type: 'string' },
          loans: {
            type: 'array',
            items: {
              type: 'object',
              required: ['creditorName', 'loan'],
              additionalProperties: false,
              properties: {
                creditorName: { type: 'string', minLength: 1 },
                loan: {
                  oneOf: [
                    {
                      type: 'object', additionalProperties: false, required: ['type', 'timestamp', 'creditLimit', 'interestBearingBalance'],
                      properties: { type: { const: 'creditFacility' }, ...common, creditLimit: amount, interestBearingBalance: amount, nonInterestBearingBalance: amount, nominalInterestRate: amount, installmentCharges: amount, installmentChargePeriod: period },
                    },
                    {
                      type: 'object', additionalProperties: false, required: ['type', 'timestamp', 'originalBalance', 'balance'],
                      properties: { type: { const: 'repaymentLoan' }, ...common, originalBalance: amount, balance: amount, terms: amount, nominalInterestRate: amount, installmentCharges: amount, installmentChargePeriod: period },
                    },
                    {
                      type: 'object', additionalProperties: false, required: ['type', 'timestamp', 'interestBearingBalance'],
                      properties: { type: { const: 'chargeCard' }, ...common, interestBearingBalance: amount, nonInterestBearingBalance: amount },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The fields a fixture loan of each type may have (recorded persona packs keep only these). */
export const fixtureLoanFields = Object.fromEntries(
  peopleSchema.properties.people.items.properties.loans.items.properties.loan.oneOf.map((branch) => [branch.properties.type.const, Object.keys(branch.properties)]),
) as Record<SimLoan['loan']['type'], string[]>;

/** The fixtures' validators, compiled when fixtures are first read (many importers never read any). */
const validators = (() => {
  let compiled: { clients: ValidateFunction; people: ValidateFunction } | undefined;
  return () => {
    if (!compiled) {
      // The two schemas are this file's constants: no meta-schema check at run time (tests load the fixtures).
      const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
      addFormats(ajv);
      compiled = { clients: ajv.compile(clientsSchema), people: ajv.compile(peopleSchema) };
    }
    return compiled;
  };
})();

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FixtureError(`Cannot read simulator fixture ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FixtureError(`Simulator fixture ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function schemaProblems(file: string, errors: ValidateFunction['errors']): never {
  const lines = (errors ?? []).slice(0, 8).map((e) => `  - ${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`);
  throw new FixtureError(`Simulator fixture ${file} is invalid:\n${redact(lines.join('\n'))}`);
}

/** Reads and validates clients.json and people.json from a fixtures directory. */
export function loadSimulatorFixtures(dir: string = defaultFixturesDir): SimulatorFixtures {
  const clientsFile = join(dir, 'clients.json');
  const peopleFile = join(dir, 'people.json');
  const validate = validators();
  const clientsDoc = readJson(clientsFile);
  if (!validate.clients(clientsDoc)) schemaProblems(clientsFile, validate.clients.errors);
  const peopleDoc = readJson(peopleFile);
  if (!validate.people(peopleDoc)) schemaProblems(peopleFile, validate.people.errors);
  const clients = (clientsDoc as { clients: SimClient[] }).clients;
  const people = (peopleDoc as { people: SimPerson[] }).people;

  const problems: string[] = [];
  const ids = new Set<string>();
  clients.forEach((c, i) => {
    const id = c.client_id.toLowerCase();
    if (ids.has(id)) problems.push(`${clientsFile}: /clients/${i}/client_id ${c.client_id} is used twice`);
    ids.add(id);
  });
  const nins = new Set<string>();
  people.forEach((p, i) => {
    if (!isValidNin(p.nin)) problems.push(`${peopleFile}: /people/${i}/nin ${redact(p.nin)} is not a valid NIN (checksum or date)`);
    if (nins.has(p.nin)) problems.push(`${peopleFile}: /people/${i}/nin ${redact(p.nin)} is listed twice`);
    nins.add(p.nin);
  });
  if (problems.length) throw new FixtureError(`Simulator fixtures are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { dir, clients, people };
}

/** Every client's allowed scopes are scopes of the contract's services (or OpenID Connect's `openid`). */
export function checkClientScopes(fixtures: SimulatorFixtures, catalogue: Catalogue): void {
  const known = new Set(['openid', ...[...catalogue.services.values()].flatMap((s) => s.scopes)]);
  const problems = fixtures.clients.flatMap((c, i) => c.allowed_scopes.flatMap((scope, j) =>
    known.has(scope) ? [] : [`${join(fixtures.dir, 'clients.json')}: /clients/${i}/allowed_scopes/${j} "${scope}" is not a scope of the contract (${[...known].join(', ')})`]));
  if (problems.length) throw new FixtureError(`Simulator fixtures are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** The fixture clients by role, for tests: A and B have the integrated agreement, C has not. */
export function fixtureClients(fixtures: SimulatorFixtures = loadSimulatorFixtures()): {
  a: SimClient; b: SimClient; withoutAgreement: SimClient;
} {
  const integrated = fixtures.clients.filter((c) => c.integratedConsent);
  const without = fixtures.clients.find((c) => !c.integratedConsent);
  if (integrated.length < 2 || !without) throw new FixtureError('The fixtures need two clients with and one without integratedConsent');
  return { a: integrated[0]!, b: integrated[1]!, withoutAgreement: without };
}
