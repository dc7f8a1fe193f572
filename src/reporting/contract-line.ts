/** The contract version a report was judged by, written into the report itself. */
import { readUpstreamSource } from '../contract/load.ts';

/**
 * Every report says which contract version judged, in one place: a line under a Markdown or HTML
 * report's title, a `contract` field in a JSON report.
 */
export function namingContract(name: string, content: string, version: string): string {
  const source = readUpstreamSource(version);
  const words = `Judged by the provider's contract ${version} (OpenAPI ${source.openapi}${source.published ? `, published ${source.published}` : ''}).`;
  if (name.endsWith('.md')) return content.replace(/^(#[^\n]*\n)?\n*/, (title) => `${title.trimEnd()}${title ? '\n\n' : ''}${words}\n\n`);
  if (name.endsWith('.html')) return content.replace(/(<\/h1>)/, `$1\n<p class="contract">${words}</p>`);
  if (name.endsWith('.json')) return `${JSON.stringify({ contract: { version, openapi: source.openapi, sha256: source.sha256 }, ...(JSON.parse(content) as object) }, null, 2)}\n`;
  return content;
}
