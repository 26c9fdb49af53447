/**
 * Inngest unavailable: the event API is down (events lost, HTTP 500,
 * connections reset or refused) while 100 contacts are enrolled. Every
 * enrollment must still be delivered, each step exactly once, after it comes
 * back: the self-healing cron (run by the local executor as the clock
 * advances) restarts the runs whose start event was lost.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handleEventApiRequest, type LocalExecutor } from "@stepwise/inngest-local";
import { getDb } from "../../lib/db/client";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { setTransport } from "../../lib/email/transports";
import { setEventSender } from "../../lib/events/publish";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb } from "../support/db";
import { makeSequence } from "../support/factories";
import { duplicates, recordingTransport, type RecordingTransport } from "../support/fault-transport";
import { startHarness, type Harness } from "../support/run-harness";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ENROLLMENTS = 100;

/**
 * The event API as the app's Inngest client reaches it over HTTP: forwards
 * to the local executor when up; answers 500, drops the connection, or is
 * not listening at all when down.
 */
type ApiState = "up" | "http-500" | "connection-reset" | "refused";
const api = { state: "up" as ApiState, executor: undefined as LocalExecutor | undefined, requests: { ok: 0, failed: 0 } };
let server: Server;
let port = 0;

function listen(): Promise<void> {
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (api.state === "connection-reset") {
      api.requests.failed++;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (api.state !== "up" || !api.executor) {
      api.requests.failed++;
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "internal server error (simulated)", status: 500 }));
      return;
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
    const response = await handleEventApiRequest(api.executor, new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
    api.requests.ok++;
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await listen();
  port = (server.address() as AddressInfo).port;
  // Read by the Inngest client when it is created (on the first import of the app's route).
  process.env.INNGEST_EVENT_API_BASE_URL = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  delete process.env.INNGEST_EVENT_API_BASE_URL;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let h: Harness;
let transport: RecordingTransport;
const db = () => getDb();

beforeEach(async () => {
  // Failed sends are logged ("the self-healing job will recover"): expected here.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  h = await startHarness({ concurrency: 8 });
  api.executor = h.executor;
  await resetDb(db());
  transport = recordingTransport(new CatcherTransport(db()));
  setTransport(transport);
});
afterEach(async () => {
  vi.restoreAllMocks();
  api.state = "up";
  if (!server.listening) await listen();
  await h.stop();
});

async function sequenceOf(steps: 1 | 2) {
  return makeSequence(db(), {
    steps: [
      { subject: "Welcome", delayAmount: 0, delayUnit: "minutes" as const },
      { subject: "Day two", delayAmount: 1, delayUnit: "days" as const },
    ].slice(0, steps),
  });
}

async function enrollAll(sequenceId: string, count: number, offset = 0): Promise<string[]> {
  const contacts = await db().contact.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({ email: `outage-${offset + i}-${sequenceId.slice(0, 8)}@example.com`, firstName: "Out" })),
    select: { id: true },
  });
  // Enrolled 34 at a time, as concurrent requests would.
  const ids: string[] = [];
  for (let i = 0; i < contacts.length; i += 34) {
    const results = await Promise.all(contacts.slice(i, i + 34).map((c) => enrollContact(db(), { contactId: c.id, sequenceId, source: "manual" })));
    for (const r of results) {
      if (r.outcome !== "enrolled") throw new Error(`not enrolled: ${r.outcome}`);
      ids.push(r.enrollmentId);
    }
  }
  return ids;
}

/** Recovers (the clock moves past the 15 minute grace and the 5 minute cron), then lets both steps go out. */
async function recoverAndFinish() {
  await h.executor.advance(30 * MINUTE);
  await h.executor.advance(2 * DAY);
}

async function expectEachDeliveredOnce(enrollmentIds: string[], stepIds: string[]) {
  expect(duplicates(transport)).toEqual([]);
  const counts = transport.countByKey();
  const missing = enrollmentIds.flatMap((e) => stepIds.filter((s) => counts.get(`${e}:${s}`) !== 1).map((s) => `${e}:${s}`));
  expect(missing).toEqual([]);
  const statuses = await db().enrollment.groupBy({ by: ["status"], where: { id: { in: enrollmentIds } }, _count: true });
  expect(statuses.map((s) => [s.status, s._count])).toEqual([["completed", enrollmentIds.length]]);
}

describe("the Inngest event API is unavailable while contacts are enrolled", () => {
  it(`events lost (the harness drops them) during ${ENROLLMENTS} enrollments: each is delivered once after recovery`, async () => {
    const sequence = await sequenceOf(2);
    h.dropEvents(true);
    const enrollmentIds = await enrollAll(sequence.id, ENROLLMENTS);
    h.dropEvents(false);
    await h.executor.runUntilIdle();
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment" })).toHaveLength(0);
    expect(transport.deliveries).toHaveLength(0);

    await recoverAndFinish();
    await expectEachDeliveredOnce(enrollmentIds, sequence.steps.map((s) => s.id));
    // One restarted run per enrollment, each found by the self-healing job.
    const runs = h.executor.runs({ functionId: "stepwise-run-enrollment" });
    expect(runs).toHaveLength(ENROLLMENTS);
    expect(runs.every((r) => String(r.event.data.runKey).includes(":heal:"))).toBe(true);
  });

  it(`the event API answers 500, resets or refuses connections during ${ENROLLMENTS} enrollments: each is delivered once after recovery`, async () => {
    // The app's real sender: the Inngest SDK over HTTP, with its own retries.
    setEventSender(null);
    const sequence = await sequenceOf(1);
    const enrollmentIds: string[] = [];
    const outage: [ApiState, number][] = [
      ["http-500", 34],
      ["connection-reset", 33],
      ["refused", 33],
    ];
    for (const [state, count] of outage) {
      api.state = state;
      if (state === "refused") await new Promise((resolve) => server.close(resolve));
      enrollmentIds.push(...(await enrollAll(sequence.id, count, enrollmentIds.length)));
    }
    expect(api.requests).toMatchObject({ ok: 0, failed: expect.any(Number) });
    expect(api.requests.failed).toBeGreaterThanOrEqual(67 * 5); // the SDK tried each send 5 times
    api.state = "up";
    await listen();

    await h.executor.runUntilIdle();
    expect(transport.deliveries).toHaveLength(0);
    await recoverAndFinish();
    expect(api.requests.ok).toBeGreaterThan(0);
    await expectEachDeliveredOnce(enrollmentIds, sequence.steps.map((s) => s.id));
  });

  it("an outage that only loses some events (flapping) still ends with every step delivered exactly once", async () => {
    const sequence = await sequenceOf(2);
    let sent = 0;
    // Every third send fails, as a flapping connection would: some runs start at once, the rest are healed.
    setEventSender(async (events) => {
      if (++sent % 3 === 0) throw new Error("Inngest API Error: 502 Bad Gateway (simulated)");
      await h.executor.send(events);
    });
    const enrollmentIds = await enrollAll(sequence.id, 15);
    await h.executor.runUntilIdle();
    const startedAtOnce = h.executor.runs({ functionId: "stepwise-run-enrollment" }).length;
    expect(startedAtOnce).toBeGreaterThan(0);
    expect(startedAtOnce).toBeLessThan(15);

    await recoverAndFinish();
    await expectEachDeliveredOnce(enrollmentIds, sequence.steps.map((s) => s.id));
  });
});
