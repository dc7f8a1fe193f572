/**
 * Scans a reports folder for secrets, tokens and NINs that redact() should have masked: every
 * file, inside zip and gzip archives, and inside base64 blobs (the Playwright HTML report embeds
 * its data as a base64 zip; Basic credentials are base64). Used by tests/runs/all-reports-masked.spec.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';

export interface Needle {
  name: string;
  /** A literal value, or a pattern for a shape (any simulator token). */
  match: string | RegExp;
}

export interface Leak {
  needle: string;
  /** file, then the archive entries or base64 blobs it was found in */
  where: string;
  sample: string;
}

const MAX_DEPTH = 4;
const isZip = (b: Uint8Array): boolean => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isGzip = (b: Uint8Array): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

function printableRatio(b: Uint8Array): number {
  if (b.length === 0) return 0;
  let printable = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2) printable++;
  }
  return printable / n;
}

function findNeedles(text: string, needles: Needle[], where: string, out: Leak[]): void {
  for (const n of needles) {
    let index = -1;
    let found = '';
    if (typeof n.match === 'string') {
      index = text.indexOf(n.match);
      found = n.match;
    } else {
      const re = new RegExp(n.match.source, n.match.flags.replace('g', ''));
      const m = re.exec(text);
      if (m) {
        index = m.index;
        found = m[0];
      }
    }
    if (index >= 0) out.push({ needle: n.name, where, sample: `${text.slice(Math.max(0, index - 30), index).replace(/\s+/g, ' ')}[${found.slice(0, 6)}…]` });
  }
}

function scanBytes(bytes: Uint8Array, needles: Needle[], where: string, out: Leak[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (isZip(bytes)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch {
      entries = {};
    }
    for (const [name, data] of Object.entries(entries)) scanBytes(data, needles, `${where} › ${name}`, out, depth + 1);
    return;
  }
  if (isGzip(bytes)) {
    try {
      scanBytes(gunzipSync(bytes), needles, `${where} › (gzip)`, out, depth + 1);
    } catch {
      /* not really gzip */
    }
    return;
  }
  if (printableRatio(bytes) < 0.85) return; // images and other binaries
  const text = Buffer.from(bytes).toString('utf8');
  findNeedles(text, needles, where, out);
  // Base64 blobs (standard and URL-safe), e.g. data: URLs and Basic credentials.
  const blob = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = blob.exec(text)) && count < 50_000) {
    count++;
    const raw = m[0];
    const decoded = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length < 12) continue;
    if (isZip(decoded) || isGzip(decoded) || printableRatio(decoded) > 0.95) {
      scanBytes(decoded, needles, `${where} › base64@${m.index}`, out, depth + 1);
    }
  }
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) files.push(...walk(path));
    else if (st.isFile()) files.push(path);
  }
  return files;
}

export function scanForLeaks(dir: string, needles: Needle[]): { files: number; leaks: Leak[] } {
  const leaks: Leak[] = [];
  const files = walk(dir);
  for (const file of files) scanBytes(readFileSync(file), needles, relative(dir, file), leaks, 0);
  return { files: files.length, leaks };
}
