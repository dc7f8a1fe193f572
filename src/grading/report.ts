/**
 * The judgement of one client as the sandbox serves it (GET <admin>/grading/clients/:id/report):
 * the judge's rules, verdicts, evidence and score, with where and by which contract it was judged.
 * The CLI's client-report renders it (render.ts).
 */
import type { judge } from './judge.ts';

export interface ClientReport extends ReturnType<typeof judge> {
  /** Requests that named this client without authenticating as it: not graded, not recorded. */
  unauthenticated: number;
  /** The client's oldest exchanges dropped to keep its recording within the sandbox's bounds: not judged. */
  dropped: number;
  generatedAt: string;
  /** The sandbox's URLs and the provider's contract version it serves (the client was judged by it). */
  sandbox: { accessUrl: string; apiUrl: string; contract: string };
}
