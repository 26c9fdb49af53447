/**
 * The run harness (run-harness.ts) with the knobs the fault suite needs: a
 * database of its own (the app's getDb() is pointed at it), retry delays in
 * the manual clock's time, and more parallel calls to the app.
 */
import { inject } from "vitest";
import { LocalExecutor, ManualClock } from "../../inngest/local-executor";
import { setClock } from "../../lib/clock";
import type { Db } from "../../lib/db/prisma";
import { setTransport } from "../../lib/email/transports";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { TEST_SIGNING_SECRET, type Harness } from "./run-harness";

export type FaultHarnessOptions = {
  /** Default: the test database. */
  databaseUrl?: string;
  /** Delay before retry `attempt`, in manual-clock time. Default 0 (retries at once). */
  retryDelayMs?: (attempt: number) => number;
  /** Parallel calls to the app. Default 8. */
  concurrency?: number;
  start?: number;
};

const globalForPrisma = globalThis as unknown as { stepwiseDb?: Db };

/** Forgets the app's Prisma client, so that the next getDb() connects to DATABASE_URL afresh. */
export async function resetAppDb(): Promise<void> {
  const previous = globalForPrisma.stepwiseDb;
  globalForPrisma.stepwiseDb = undefined;
  await previous?.$disconnect().catch(() => {});
}

export async function startFaultHarness(options: FaultHarnessOptions = {}): Promise<Harness> {
  const databaseUrl = options.databaseUrl ?? inject("databaseUrl");
  if (process.env.DATABASE_URL !== databaseUrl) {
    process.env.DATABASE_URL = databaseUrl;
    await resetAppDb();
  }
  process.env.STEPWISE_SIGNING_SECRET = TEST_SIGNING_SECRET;
  process.env.APP_URL = "http://localhost:3000";
  const clock = new ManualClock(options.start ?? Date.UTC(2026, 0, 5, 9, 0, 0));
  setClock(clock);
  const route = await import("../../app/api/inngest/route");
  const executor = new LocalExecutor({
    handlers: route,
    clock,
    serveUrl: "http://localhost:3000/api/inngest",
    concurrency: options.concurrency ?? 8,
    retryDelayMs: options.retryDelayMs,
  });
  await executor.sync();

  const published: OutgoingEvent[] = [];
  let drop = false;
  setEventSender(async (events) => {
    published.push(...events);
    if (drop) throw new Error("Inngest is unreachable (simulated)");
    await executor.send(events);
  });
  return {
    executor,
    clock,
    published,
    dropEvents: (value) => {
      drop = value;
    },
    stop: async () => {
      await executor.stop();
      setEventSender(null);
      setTransport(null);
      setClock(null);
    },
  };
}
