/**
 * Database restart during a run: a dedicated embedded PostgreSQL (its own
 * data directory and a fixed port) is stopped and started again while
 * sequence runs are in progress, between steps and while steps are due. The
 * runs resume, through the executor's retries or, when the outage outlasts
 * them, the self-healing cron: every step is delivered exactly once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from "../../lib/db/embedded-postgres";
import { migrateDeploy } from "../../lib/db/migrate";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { getDb } from "../../lib/db/client";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { setTransport } from "../../lib/email/transports";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { makeContact, makeSequence } from "../support/factories";
import { resetAppDb, startHarness, type Harness } from "../support/run-harness";
import { duplicates, recordingTransport, type RecordingTransport } from "../support/fault-transport";
import { testDatabaseUrl } from "../support/database-url";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RUN_FUNCTION = "stepwise-run-enrollment";

let dir: string;
let port: number;
let pg: EmbeddedPostgres;
let direct: Db;
let h: Harness;
let transport: RecordingTransport;
let sequence: Awaited<ReturnType<typeof makeSequence>>;
const restarts: number[] = [];

const start = () => startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port, fsync: false });

/** Stops the server (fast shutdown: connections are cut), runs `whileDown`, starts it again on the same port and data. */
async function restartDatabase(whileDown: () => Promise<void>) {
  const began = performance.now();
  await pg.stop();
  await whileDown();
  pg = await start();
  restarts.push(Math.round(performance.now() - began));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-restart-"));
  // mkdtemp makes a private folder; as root, PostgreSQL runs as `postgres` and must reach it.
  fs.chmodSync(dir, 0o755);
  port = await freePort();
  pg = await start();
  await migrateDeploy(pg.url);
  direct = createPrismaClient(pg.url, { poolSize: 3 });

  // Failed steps and cron runs are logged while the database is down: expected here.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  // Retries a minute apart (manual clock): a short outage is covered by them, a long one by self-healing.
  h = await startHarness({ databaseUrl: pg.url, retryDelayMs: (attempt) => attempt * MINUTE, concurrency: 8 });
  transport = recordingTransport(new CatcherTransport(getDb()));
  setTransport(transport);
  sequence = await makeSequence(direct, {
    steps: [
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "days" },
      { subject: "Three", delayAmount: 1, delayUnit: "days" },
    ],
  });
});

afterAll(async () => {
  await h?.stop();
  vi.restoreAllMocks();
  await resetAppDb();
  process.env.DATABASE_URL = testDatabaseUrl();
  await direct?.$disconnect();
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  console.info(`[fault] database restarts took ${restarts.join(", ")} ms`);
});

async function enrollThree(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const contact = await makeContact(direct);
    const result = await enrollContact(direct, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    if (result.outcome !== "enrolled") throw new Error(result.outcome);
    ids.push(result.enrollmentId);
  }
  await h.executor.runUntilIdle();
  return ids;
}

const delivered = (enrollmentIds: string[], step: number) =>
  enrollmentIds.map((id) => transport.countByKey().get(`${id}:${sequence.steps[step].id}`) ?? 0);

async function expectCompletedOnce(enrollmentIds: string[]) {
  for (let step = 0; step < 3; step++) expect(delivered(enrollmentIds, step)).toEqual([1, 1, 1]);
  const statuses = await direct.enrollment.findMany({ where: { id: { in: enrollmentIds } }, select: { status: true } });
  expect(statuses.map((s) => s.status)).toEqual(["completed", "completed", "completed"]);
  expect(duplicates(transport)).toEqual([]);
}

describe("the database restarts while sequences run", () => {
  it("between steps: the sleeping runs carry on as if nothing happened", async () => {
    const ids = await enrollThree();
    expect(delivered(ids, 0)).toEqual([1, 1, 1]);
    await h.executor.advance(2 * HOUR);
    // The self-healing cron fires while the database is down, and fails.
    await restartDatabase(() => h.executor.advance(2 * HOUR));

    await h.executor.advance(3 * DAY);
    await expectCompletedOnce(ids);
    const runs = h.executor.runs({ functionId: RUN_FUNCTION }).filter((r) => ids.includes(String(r.event.data.enrollmentId)));
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("while steps are due, back within the retries: the runs' own retries send each step once", async () => {
    const ids = await enrollThree();
    await restartDatabase(async () => {
      // Step 2 falls due now: its first attempt fails, the retries are a minute or more away.
      await h.executor.advance(DAY);
      expect(delivered(ids, 1)).toEqual([0, 0, 0]);
    });
    await h.executor.advance(10 * MINUTE);
    expect(delivered(ids, 1)).toEqual([1, 1, 1]);

    await h.executor.advance(2 * DAY);
    await expectCompletedOnce(ids);
    const runs = h.executor.runs({ functionId: RUN_FUNCTION }).filter((r) => ids.includes(String(r.event.data.enrollmentId)));
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("while steps are due, down longer than the retries: the runs fail, and self-healing finishes them", async () => {
    const ids = await enrollThree();
    await h.executor.advance(DAY + HOUR);
    expect(delivered(ids, 1)).toEqual([1, 1, 1]);
    await restartDatabase(async () => {
      // Step 3 falls due and every attempt fails: the runs give up.
      await h.executor.advance(DAY);
      const runs = h.executor.runs({ functionId: RUN_FUNCTION }).filter((r) => ids.includes(String(r.event.data.enrollmentId)));
      expect(runs.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
    });
    expect(delivered(ids, 2)).toEqual([0, 0, 0]);

    // The cron (every 5 minutes) restarts runs overdue by more than 15 minutes.
    await h.executor.advance(HOUR);
    await expectCompletedOnce(ids);
  });
});
