/** A controllable clock: real time plus an offset (admin POST /clock), or frozen at an instant. */
export class Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
  date(): Date {
    return new Date(this.now());
  }
  /** Jumps to an instant; keeps running from there unless `freeze`. */
  set(instantMs: number, freeze = false): void {
    if (freeze) {
      this.frozenAt = instantMs;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = instantMs - Date.now();
    }
  }
  advance(seconds: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }
  describe(): { now: string; offsetSeconds: number; frozen: boolean } {
    return { now: this.date().toISOString(), offsetSeconds: Math.round((this.now() - Date.now()) / 1000), frozen: this.frozenAt !== undefined };
  }
}
