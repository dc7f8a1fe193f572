/**
 * Scrubs a finished reports folder through redact(): what the project writes is masked at the
 * source, but Playwright writes some text itself (API step titles such as `Fill "<value>"`,
 * test titles, error snippets) into results.json, JUnit, allure-results and the HTML report's
 * embedded data. This rewrites those files, and the HTML report's embedded zip, masked.
 * Application code (the HTML reports' JavaScript) is never rewritten, only their data.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { redact } from './redact.ts';

const textExtensions = new Set(['.json', '.xml', '.md', '.txt', '.log', '.csv', '.yaml', '.yml']);
const playwrightData = /(<template id="playwrightReportBase64">data:application\/zip;base64,)([A-Za-z0-9+/=]+)(<\/template>)/;

/** Masks a text file's content; a JSON file must still parse afterwards, or nothing is written. */
function scrubText(name: string, text: string): string {
  const masked = redact(text);
  if (masked !== text && extname(name) === '.json') {
    try {
      JSON.parse(masked);
    } catch (error) {
      throw new Error(`Scrubbing ${name} would corrupt its JSON; fix the pattern in src/reporting/redact.ts`, { cause: error });
    }
  }
  return masked;
}

function scrubZip(bytes: Uint8Array): Uint8Array | undefined {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    return undefined;
  }
  let changed = false;
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(entries)) {
    if (textExtensions.has(extname(name))) {
      const text = strFromU8(data);
      const masked = scrubText(name, text);
      if (masked !== text) changed = true;
      out[name] = strToU8(masked);
    } else {
      out[name] = data;
    }
  }
  return changed ? zipSync(out) : undefined;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) files.push(...walk(path));
    else if (st.isFile()) files.push(path);
  }
  return files;
}

/** Masks every text file under `dir`, and the Playwright HTML report's embedded data. */
export function scrubReports(dir: string): { files: number; changed: string[] } {
  const changed: string[] = [];
  const files = walk(dir);
  for (const file of files) {
    const ext = extname(file);
    if (textExtensions.has(ext)) {
      const text = readFileSync(file, 'utf8');
      const masked = scrubText(file, text);
      if (masked !== text) {
        writeFileSync(file, masked);
        changed.push(file);
      }
    } else if (ext === '.html') {
      const html = readFileSync(file, 'utf8');
      const m = playwrightData.exec(html);
      if (!m) continue;
      const scrubbed = scrubZip(Buffer.from(m[2]!, 'base64'));
      if (scrubbed) {
        writeFileSync(file, html.replace(playwrightData, () => `${m[1]}${Buffer.from(scrubbed).toString('base64')}${m[3]}`));
        changed.push(file);
      }
    } else if (ext === '.zip' && !file.includes('trace')) {
      const scrubbed = scrubZip(readFileSync(file));
      if (scrubbed) {
        writeFileSync(file, scrubbed);
        changed.push(file);
      }
    }
  }
  return { files: files.length, changed };
}
