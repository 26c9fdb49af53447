/**
 * Drives the app's real Inngest functions through its real serve() route
 * with the local executor and a manual clock, on the test database.
 *
 * As in production: the route serves in cloud mode (every request signed
 * with a signing key generated per harness), and the SDK checkpoints its
 * steps to the executor's API over loopback HTTP.
 */
import { LocalExecutor, ManualClock } from "@stepwise/inngest-local";
import { afterEach, beforeEach } from "vitest";
import { setClock } from "../../lib/clock";
import { getDb, replaceDb } from "../../lib/db/client";
import { setTransport, type MailTransport } from "../../lib/email/transports";
import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";
import { testDatabaseUrl } from "./database-url";
import { resetDb } from "./db";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789";

export type Harness = {
  executor: LocalExecutor;
  clock: ManualClock;
  /** Events the app tried to send (delivered to the executor unless dropped). */
  published: OutgoingEvent[];
  /** While true, events are "lost": Inngest is down. */
  dropEvents: (drop: boolean) => void;
  stop: () => Promise<void>;
};

export type HarnessOptions = {
  /** Default: the test database. */
  databaseUrl?: string;
  /** The manual clock's start. */
  start?: number;
  /** Delay before retry `attempt`, in manual-clock time. Default: the real server's backoff (15 s, 30 s, 1 m... + jitter). */
  retryDelayMs?: (attempt: number) => number;
  /** Parallel calls to the app. Default: the executor's (4). */
  concurrency?: number;
  /** Default true: the SDK's async checkpointing, as against the real server. */
  checkpointing?: boolean;
};

/**
 * Points the app's Inngest client at this executor's keys and API, in cloud
 * mode. The client reads the environment when it is created (and merges it
 * again on each serve() request), so it is told explicitly.
 */
async function useExecutorKeys(env: Record<string, string>): Promise<void> {
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, env);
  const { inngest } = await import("../../inngest/client");
  inngest.setEnvVars({ ...process.env, INNGEST_DEV: undefined });
}

/** Forgets the app's Prisma client, so that the next getDb() connects to DATABASE_URL afresh. */
export async function resetAppDb(): Promise<void> {
  await replaceDb(undefined)?.$disconnect().catch(() => {});
}

/**
 * A harness for each test of the file, on an emptied test database (caught
 * mail included), stopped after the test. `use` is given each harness;
 * `restart` swaps the test's harness for one with other options.
 */
export function harnessPerTest(use: (harness: Harness) => void): { restart: (options: HarnessOptions) => Promise<void> } {
  let current: Harness | undefined;
  const start = async (options: HarnessOptions = {}) => {
    current = await startHarness(options);
    use(current);
  };
  beforeEach(async () => {
    await start();
    await resetDb(getDb());
    await getDb().caughtMessage.deleteMany();
  });
  afterEach(async () => {
    await current?.stop();
  });
  return {
    restart: async (options) => {
      await current?.stop();
      await start(options);
    },
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl();
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
    concurrency: options.concurrency,
    retryDelayMs: options.retryDelayMs,
    checkpointing: options.checkpointing,
  });
  const api = await executor.listen(0);
  await useExecutorKeys(executor.appEnv(api.url));
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
      await api.close();
      setEventSender(null);
      setTransport(null);
      setClock(null);
    },
  };
}

/** A transport that records every delivery attempt and can misbehave. */
export function scriptedTransport(inner: MailTransport, script: (attempt: number) => "deliver" | "deliver-then-throw" | "transient-fail") {
  const attempts: string[] = [];
  const transport: MailTransport = {
    name: "scripted",
    async deliver(message) {
      attempts.push(message.idempotencyKey);
      const action = script(attempts.length);
      if (action === "transient-fail") {
        const { TransientDeliveryError } = await import("../../lib/email/transports");
        throw new TransientDeliveryError("connection refused (simulated)");
      }
      const result = await inner.deliver(message);
      if (action === "deliver-then-throw") throw new Error("connection reset after DATA (simulated)");
      return result;
    },
  };
  return { transport, attempts };
}
