/**
 * The commands of nogi-conformance, in the order `--help` lists them. To add one: write
 * src/cli/commands/<name>.ts exporting a CommandSpec (its options by name from src/cli/options.ts,
 * a new option added to `cliOptions` there), and add it to this list. Nothing else changes.
 */
import type { CommandSpec } from '../command.ts';
import { certify } from './certify.ts';
import { checks } from './checks.ts';
import { clientReport } from './client-report.ts';
import { compare } from './compare.ts';
import { contract } from './contract.ts';
import { doctor } from './doctor.ts';
import { gate } from './gate.ts';
import { health } from './health.ts';
import { onboarding } from './onboarding.ts';
import { sandbox } from './sandbox.ts';
import { verify } from './verify.ts';

export const commandList: readonly CommandSpec[] = [
  doctor,
  gate,
  onboarding,
  health,
  checks,
  compare,
  clientReport,
  certify,
  verify,
  contract,
  sandbox,
];
