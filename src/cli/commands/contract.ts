import type { CommandSpec } from '../command.ts';

export const contract: CommandSpec = {
  name: 'contract',
  summary: 'the provider\'s contract versions: diff a document, vendor it as a new version, switch the default',
  description: 'contract diff <file|url> [--against <version>]: the changes from the version (default: the current one) to the document, grouped by who must act. contract update <file|url> [--as <id>] [--published <date>]: vendors the document unchanged as contracts/versions/<id>/ (not the default), copies the default\'s errata, lists those that match nothing and what adopting it touches. contract default <version>: makes a vendored version the default. Exit 0 done, 2 an unreadable or non-OpenAPI document, an unknown version or an existing one.',
  options: ['against', 'as', 'published'],
  argument: '<action> [input]',
  run: async ({ options, args, cwd }) => (await import('../contract.ts')).contract(args[0]!, args[1], options, cwd),
};
