/** reports/client-report.{md,html,json}: each rule, its verdict, evidence and fix, and the score. */
import type { ClientReport } from './report.ts';
import { redact } from '../reporting/redact.ts';

/** Anyone can name a client; what they send is not the client's doing. */
const unauthenticatedLine = (r: ClientReport): string =>
  `${r.unauthenticated} requests named this client without authenticating (a wrong or missing secret, or a browser page of a login); not graded`;

/** The recording is bounded (count and bytes per client): what fell out of it was not judged. */
const droppedLine = (r: ClientReport): string =>
  `${r.dropped} older exchanges were dropped to keep this client's recording within the sandbox's bounds; not judged`;

const icon = { pass: '✅', fail: '❌', 'not exercised': '⏭️' } as const;

export function clientReportMarkdown(r: ClientReport): string {
  const lines = [
    `# Client report: ${r.clientId}`,
    '',
    `Sandbox ${r.sandbox.apiUrl} · the provider's contract ${r.sandbox.contract} · ${r.generatedAt} · ${r.exchanges} requests recorded`,
    '',
    ...(r.unauthenticated ? [unauthenticatedLine(r), ''] : []),
    ...(r.dropped ? [droppedLine(r), ''] : []),
    `**Score ${r.score.percent}%**: ${r.score.passed} passed, ${r.score.failed} failed, ${r.score.notExercised} not exercised`,
    '',
    '| | rule | verdict | judged |',
    '| --- | --- | --- | --- |',
    ...r.rules.map((x) => `| ${icon[x.verdict]} | ${x.name} | ${x.verdict} | ${x.summary} |`),
  ];
  const failed = r.rules.filter((x) => x.verdict === 'fail');
  if (failed.length) lines.push('', '## What to fix', '');
  for (const x of failed) {
    lines.push(`### ❌ ${x.name} (\`${x.id}\`)`, '', `- from: ${x.docs}`, `- fix: ${x.fix}`, '- evidence:');
    for (const e of x.evidence.slice(0, 20)) lines.push(`  - ${e.line}`);
    if (x.evidence.length > 20) lines.push(`  - … and ${x.evidence.length - 20} more`);
    lines.push('');
  }
  const unexercised = r.rules.filter((x) => x.verdict === 'not exercised');
  if (unexercised.length) {
    lines.push('', '## Not exercised', '', 'Play a scenario (`nogi-conformance client-report --client ID --scenario NAME`) or walk more of the lifecycle:', '');
    for (const x of unexercised) lines.push(`- ${x.name}: ${x.summary}`);
  }
  return redact(`${lines.join('\n')}\n`);
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function clientReportHtml(r: ClientReport): string {
  const rows = r.rules.map((x) => `<tr class="${x.verdict.replace(' ', '-')}"><td>${icon[x.verdict]}</td><td>${escape(x.name)}<br><small>${escape(x.docs)}</small></td><td>${x.verdict}</td><td>${escape(x.summary)}${x.verdict === 'fail'
    ? `<p><b>Fix:</b> ${escape(x.fix)}</p><ul>${x.evidence.slice(0, 20).map((e) => `<li><code>${escape(e.line)}</code></li>`).join('')}</ul>` : ''}</td></tr>`).join('\n');
  return redact(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Client report: ${escape(r.clientId)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}tr.fail{background:#fdecea}tr.pass{background:#edf7ed}</style>
</head><body>
<h1>Client report: ${escape(r.clientId)}</h1>
<p>Sandbox ${escape(r.sandbox.apiUrl)} · ${escape(r.generatedAt)} · ${r.exchanges} requests recorded</p>
${r.unauthenticated ? `<p>${escape(unauthenticatedLine(r))}</p>\n` : ''}${r.dropped ? `<p>${escape(droppedLine(r))}</p>\n` : ''}<p><strong>Score ${r.score.percent}%</strong>: ${r.score.passed} passed, ${r.score.failed} failed, ${r.score.notExercised} not exercised</p>
<table><thead><tr><th></th><th>rule</th><th>verdict</th><th>judged / evidence</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`);
}
