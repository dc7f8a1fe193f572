/** One log line per request: host, method, path (no query), status, ms, client. Never secrets or NINs. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { redact } from '../reporting/redact.ts';

export type LogFn = (line: string) => void;

/** A log line with credentials, tokens and NINs masked (by the project's one redaction module). */
export const sanitize = redact;

/** Called once per answered request (metrics). */
export type ObserveFn = (host: string, method: string, path: string, status: number, seconds: number) => void;

/** What the request log reads of a request and its response (Express's: http.ts). */
interface LoggedRequest { method: string; path: string }
interface LoggedResponse { statusCode: number; locals: Record<string, unknown>; on(event: 'finish', listener: () => void): unknown }

/** `log` masks what it writes (the simulator's ctx.log does: every line goes through sanitize there). */
export function requestLogger(host: string, log: LogFn, observe?: ObserveFn) {
  return (req: LoggedRequest, res: LoggedResponse, next: () => void): void => {
    const start = process.hrtime.bigint();
    // Read now: a router mounted on a prefix (the admin's /grading) strips it from req.path until it is done.
    const { path } = req;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      observe?.(host, req.method, path, res.statusCode, ms / 1000);
      const client = (res.locals.clientId as string | undefined) ?? '-';
      const extra = res.locals.logNote ? ` ${res.locals.logNote as string}` : '';
      log(`[${host}] ${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms client=${client}${extra}`);
    });
    next();
  };
}

/** Lines kept at most before they are written even within one turn of the event loop. */
const MAX_BUFFERED = 512;

/**
 * Log lines written in batches: at the end of the current turn of the event loop (setImmediate),
 * one write for every line of the turn, instead of a synchronous write (console.log, or an
 * appendFileSync opening the file) per line. Nothing is lost on a graceful stop: flush() writes
 * what is left synchronously, and so does the process's 'exit' (process.exit, an uncaught
 * exception). Only a SIGKILL can lose the lines of the turn it cuts.
 */
export class LineSink {
  private lines: string[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly onExit = () => this.flush();

  /** `write` takes a whole batch of lines, newline-terminated; `stamp` puts the wall-clock time before each line. */
  private constructor(private readonly write: (text: string) => void, private readonly stamp: boolean, private readonly release: () => void = () => undefined) {
    process.on('exit', this.onExit);
  }

  /** Standard output (a pipe or terminal: process.stdout writes synchronously there, in order with what else goes to stdout). */
  static stdout(): LineSink {
    return new LineSink((text) => void process.stdout.write(text), false);
  }

  /** A file opened once, for appending, each line stamped with the time it was logged. */
  static file(path: string): LineSink {
    const fd = openSync(path, 'a');
    return new LineSink((text) => {
      const buffer = Buffer.from(text, 'utf8');
      for (let off = 0; off < buffer.length;) off += writeSync(fd, buffer, off);
    }, true, () => closeSync(fd));
  }

  /** The LogFn: a line to write. */
  readonly log: LogFn = (line) => this.push(this.stamp ? `${new Date().toISOString()} ${line}` : line);

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= MAX_BUFFERED) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes every buffered line now, synchronously. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.write(text);
  }

  /** Flushes and lets go of the file (the sink must not be written to afterwards). */
  close(): void {
    this.flush();
    process.off('exit', this.onExit);
    this.release();
  }
}
