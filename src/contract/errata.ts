/**
 * What each erratum of an overlay does to a document: the review `nogi-conformance contract update`
 * and `contract default` make before a version's errata are trusted (src/cli/contract.ts).
 *
 * An OpenAPI Overlay 1.0 `update` merges objects and APPENDS to arrays (openapi-format, as the
 * specification leaves it). So when the provider fixes what an erratum adds to an array (a
 * `required` list, an enum), the erratum does not fail to match: it appends the same items again,
 * and the effective contract has duplicates AJV refuses ("must NOT have duplicate items"). Each
 * action is therefore applied alone, in order, and what it changed compared with the document
 * before it:
 *
 * - `unused`: it matches nothing (fixed upstream, or moved);
 * - `fixed-upstream`: it matches, but changes nothing, or only appends items the array already
 *   holds: the document already says what it adds. So is every action of a group (E4a, E4b) whose
 *   actions together leave the document as it was (a remove and an update that puts it back);
 * - `partly-fixed`: it adds something, and also items the array already holds (to be rewritten
 *   to add only the rest);
 * - `applies`: it adds or changes something, and nothing twice.
 *
 * The document returned has the `applies` actions applied and the `partly-fixed` ones without
 * their repeated items: the contract as it will be once the errata are rewritten.
 */
import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { tryOverlay, type Overlay, type OverlayAction } from './load.ts';

type ErratumStatus = 'applies' | 'unused' | 'fixed-upstream' | 'partly-fixed';

export interface ErratumReview {
  action: OverlayAction;
  /** Its position in the overlay's actions. */
  index: number;
  /** The id its description starts with (`S5`, `E4a`), else its target. */
  id: string;
  status: ErratumStatus;
  /** Items it would append to an array that already holds them, by the array's place in the document. */
  repeated: Array<{ at: string; items: unknown[] }>;
}

export const erratumId = (a: OverlayAction): string => /^\s*([A-Z]\d+[a-z]?)\./.exec(a.description)?.[1] ?? a.target;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);
const key = (at: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${at}.${k}` : `${at}['${k}']`);

/**
 * `after` compared with `before`: whether something changed beyond items appended to an array
 * that already held them; those are collected, and left out of the value returned.
 */
function compare(before: Json, after: Json, at: string, out: { changed: boolean; repeated: ErratumReview['repeated'] }): Json {
  if (Array.isArray(before) && Array.isArray(after) && after.length > before.length && before.every((v, i) => isDeepStrictEqual(v, after[i]))) {
    const added = after.slice(before.length);
    const repeats = added.filter((x) => before.some((b) => isDeepStrictEqual(b, x)));
    const fresh = added.filter((x) => !before.some((b) => isDeepStrictEqual(b, x)));
    if (repeats.length) out.repeated.push({ at, items: repeats });
    if (fresh.length) out.changed = true;
    return [...before, ...fresh];
  }
  if (isObject(before) && isObject(after)) {
    const result: Record<string, Json> = {};
    for (const k of Object.keys(after)) {
      if (!Object.hasOwn(before, k)) {
        out.changed = true;
        result[k] = after[k];
      } else {
        result[k] = compare(before[k], after[k], key(at, k), out);
      }
    }
    if (Object.keys(before).some((k) => !Object.hasOwn(after, k))) out.changed = true;
    return result;
  }
  if (!isDeepStrictEqual(before, after)) out.changed = true;
  return after;
}

/** Each action of the overlay, applied alone and in order to the document, judged by what it changed. */
export async function reviewErrata(base: OpenAPIV3.Document, overlay: Overlay): Promise<{ document: OpenAPIV3.Document; reviews: ErratumReview[] }> {
  let state: OpenAPIV3.Document = structuredClone(base);
  /** The document before each action, and after the last. */
  const states: OpenAPIV3.Document[] = [];
  const reviews: ErratumReview[] = [];
  for (const [index, action] of overlay.actions.entries()) {
    states.push(state);
    const review: ErratumReview = { action, index, id: erratumId(action), status: 'applies', repeated: [] };
    reviews.push(review);
    const { document, unused } = await tryOverlay(state, { ...overlay, actions: [action] });
    if (unused.length) {
      review.status = 'unused';
      continue;
    }
    const out = { changed: false, repeated: review.repeated };
    const cleaned = compare(state, document, '$', out) as OpenAPIV3.Document;
    if (!out.changed) review.status = 'fixed-upstream';
    else {
      if (out.repeated.length) review.status = 'partly-fixed';
      state = cleaned;
    }
  }
  states.push(state);
  // A group of actions (E4a, E4b: a remove and the update that replaces it) that together change nothing.
  const groupOf = (r: ErratumReview) => /^([A-Z]\d+)[a-z]$/.exec(r.id)?.[1];
  for (let i = 0; i < reviews.length;) {
    const group = groupOf(reviews[i]!);
    let j = i + 1;
    while (group && j < reviews.length && groupOf(reviews[j]!) === group) j++;
    const members = reviews.slice(i, j);
    if (members.length > 1 && members.every((r) => r.status === 'applies') && isDeepStrictEqual(states[i], states[j])) {
      for (const r of members) r.status = 'fixed-upstream';
    }
    i = j;
  }
  return { document: state, reviews };
}

/**
 * The errata file's text without the actions at these indexes, everything else (comments, wrapping)
 * byte for byte: each action is cut from the line of its `- ` to the end of its last line.
 */
export async function withoutActions(text: string, indexes: readonly number[]): Promise<string> {
  if (!indexes.length) return text;
  const { parseDocument, isSeq } = await import('yaml');
  const doc = parseDocument(text);
  const actions = doc.get('actions', true);
  if (!isSeq(actions)) throw new Error('The errata overlay has no list of actions');
  const cuts = indexes.map((i) => {
    const range = (actions.items[i] as { range?: [number, number, number] } | undefined)?.range;
    if (!range) throw new Error(`The errata overlay has no action #${i + 1}`);
    const start = text.lastIndexOf('\n', range[0] - 1) + 1;
    const nl = text.indexOf('\n', Math.max(range[1], range[2]) - 1);
    return [start, nl === -1 ? text.length : nl + 1] as const;
  }).sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [start, end] of cuts) out = out.slice(0, start) + out.slice(end);
  // What is left must be the same overlay, less those actions.
  const { parse } = await import('yaml');
  const expected = (parse(text) as Overlay).actions.filter((_, i) => !indexes.includes(i));
  if (!isDeepStrictEqual((parse(out) as Overlay).actions, expected)) throw new Error('Could not remove errata actions without changing the others');
  return out;
}
