#!/usr/bin/env node
// Runs the CLI from a clone without a build step: tsx compiles src/ on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
