import type { Run } from "./run";
import type { RunInfo } from "./types";

/** Callers of `waitForRun`, checked again whenever something finishes. */
export class RunWaiters {
  private readonly listeners = new Set<() => boolean>();

  /** Resolves when `find(runId)` is a run that has completed, failed or been cancelled. */
  wait(runId: string, find: (runId: string) => Run | undefined, timeoutMs: number): Promise<RunInfo> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const run = find(runId);
        if (!run || run.isActive) return false;
        cleanup();
        resolve(run.toInfo());
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`run ${runId} did not finish within ${timeoutMs}ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      if (!check()) this.listeners.add(check);
    });
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
