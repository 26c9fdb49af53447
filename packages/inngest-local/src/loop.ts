/**
 * Real-clock mode: calls `tick` whenever something is due, sleeping in between
 * (at most a minute, so crons and new work are never missed for long).
 */
export class RealTimeLoop {
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;

  constructor(
    private readonly deps: {
      tick: () => Promise<void>;
      /** Earliest time something is due, or undefined. */
      nextDueTime: () => number | undefined;
      now: () => number;
      log: (msg: string) => void;
    },
    private readonly maxIdleMs = 60_000,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** New work arrived (an event, a sync): tick now. */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deps
        .tick()
        .catch((error: unknown) => this.deps.log(`tick failed: ${String(error)}`))
        .finally(() => {
          // A wake() during the tick already scheduled the next one.
          if (!this.running || this.timer) return;
          const next = this.deps.nextDueTime();
          const wait = next === undefined ? this.maxIdleMs : next - this.deps.now();
          this.schedule(Math.min(this.maxIdleMs, Math.max(0, wait)));
        });
    }, delayMs);
    // Do not keep a process (or a test runner) alive just for this loop.
    this.timer.unref?.();
  }
}
