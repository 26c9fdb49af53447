/**
 * /api/inngest in the mode the app runs in (cloud mode, the local executor's
 * per-start signing key): a request that is unsigned, signed with another
 * key, expired, tampered with or replayed gets 401 and runs nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, generateSigningKey, hashStepId, signBody } from "@stepwise/inngest-local";
import { getDb } from "../../lib/db/client";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { planNextStep } from "../../lib/sequences/run-step";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { dataFingerprint } from "../support/fault-db";
import { startHarness, type Harness } from "../support/run-harness";

type Method = "POST" | "PUT";
type Route = Record<Method, (request: Request) => Promise<Response>>;

let h: Harness;
let route: Route;
const db = () => getDb();
const SERVE_URL = "http://localhost:3000/api/inngest";
const RUN_FN = "?fnId=stepwise-run-enrollment&stepId=step";
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  h = await startHarness();
  await resetDb(db());
  route = (await import("../../app/api/inngest/route")) as unknown as Route;
});
afterAll(async () => {
  await h.stop();
});

function request(method: Method, body: string, signature?: string, query = ""): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
  if (signature) headers["x-inngest-signature"] = signature;
  return route[method](new Request(`${SERVE_URL}${method === "POST" ? query : ""}`, { method, headers, body }));
}

/** A call body that, if it ran, would send step 1 of an enrollment that is due. */
async function dueEnrollmentCall(): Promise<{ body: string; inbox: () => Promise<number> }> {
  const contact = await makeContact(db(), { firstName: "Ada" });
  const sequence = await makeSequence(db(), { steps: [{ subject: "One", delayAmount: 0, delayUnit: "minutes" }] });
  // Inngest is "down": the enrollment exists, its run does not.
  h.dropEvents(true);
  const result = await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
  h.dropEvents(false);
  if (result.outcome !== "enrolled") throw new Error("not enrolled");
  const started = h.published.find(
    (event) => event.name === "stepwise/enrollment.started" && event.data.enrollmentId === result.enrollmentId,
  );
  if (!started) throw new Error("enrollment did not start");
  const event = { ...started, ts: Date.now() };
  // Planned and slept: the SDK's next move is to run `deliver-0`, which sends.
  const plan = await planNextStep(db(), { enrollmentId: result.enrollmentId });
  const memo = { [hashStepId("plan-0")]: { data: plan }, [hashStepId("wait-0")]: { data: null } };
  const body = canonicalJson({
    version: 2,
    event,
    events: [event],
    steps: memo,
    ctx: {
      run_id: "01JRUN00000000000000000000",
      attempt: 0,
      disable_immediate_execution: false,
      use_api: false,
      stack: { stack: Object.keys(memo), current: 2 },
    },
  });
  const inbox = () => db().caughtMessage.count({ where: { toAddress: contact.email } });
  return { body, inbox };
}

describe("/api/inngest refuses what the executor did not sign", () => {
  it("unsigned, wrongly signed, expired and tampered requests get 401 and write nothing (any body)", async () => {
    const due = await dueEnrollmentCall();
    const before = await dataFingerprint(db());
    const otherKey = generateSigningKey();
    const key = h.executor.signingKey;
    const bodies = fc.oneof(
      fc.constant(due.body),
      fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))).map(canonicalJson),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom<Method>("POST", "PUT"), async (body, method) => {
        const query = RUN_FN;
        const statuses = [
          (await request(method, body, undefined, query)).status,
          (await request(method, body, signBody(body, otherKey, nowSeconds()), query)).status,
          (await request(method, body, signBody(body, key, nowSeconds() - 6 * 60), query)).status,
          (await request(method, body, signBody(`${body} `, key, nowSeconds()), query)).status,
          (await request(method, body, `t=${nowSeconds()}&s=${"0".repeat(64)}`, query)).status,
        ];
        expect(statuses).toEqual([401, 401, 401, 401, 401]);
      }),
      { numRuns: 40 },
    );
    expect(await dataFingerprint(db())).toEqual(before);
    expect(await due.inbox()).toBe(0);
  });

  it("the same body correctly signed runs, and replaying it gets 401 and runs nothing more", async () => {
    const due = await dueEnrollmentCall();
    const signature = signBody(due.body, h.executor.signingKey, nowSeconds());
    const first = await request("POST", due.body, signature, RUN_FN);
    // It ran: this is the request the other cases refuse.
    const answer = await first.clone().text();
    expect([200, 206], answer).toContain(first.status);
    expect(answer).toContain("deliver-0");
    expect(await due.inbox()).toBe(1);

    const before = await dataFingerprint(db());
    const replayed = await request("POST", due.body, signature, RUN_FN);
    expect(replayed.status).toBe(401);
    expect(await dataFingerprint(db())).toEqual(before);
    expect(await due.inbox()).toBe(1);
  });

  it("a replayed signed request is refused whatever its body (sync and calls)", async () => {
    const bodies = fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())).map(canonicalJson);
    // Each run signs at its own second, counted back from one fixed moment: two runs drawing the same body
    // (an empty one, often) must not share a signature, or the second run's first request is itself a replay.
    // A random offset could repeat, and so could one taken from the moving clock.
    const start = nowSeconds() - 1;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom<Method>("POST", "PUT"), async (body, method) => {
        // A valid signature the app has not seen.
        const signature = signBody(body, h.executor.signingKey, start - run++);
        const first = await request(method, body, signature, RUN_FN);
        expect(first.status).not.toBe(401);
        expect((await request(method, body, signature, RUN_FN)).status).toBe(401);
      }),
      { numRuns: 30 },
    );
  });

  it("the executor's own requests are accepted: an enrollment runs to its end, with checkpoints", async () => {
    const contact = await makeContact(db(), { firstName: "Bo" });
    const sequence = await makeSequence(db(), {
      steps: [
        { subject: "One", delayAmount: 0, delayUnit: "minutes" },
        { subject: "Two", delayAmount: 1, delayUnit: "days" },
      ],
    });
    await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    const checkpointsBefore = h.executor.stats.checkpoints;
    await h.executor.advance(2 * 86_400_000);
    const [run] = h.executor.runs({ functionId: "run-enrollment" }).filter((r) => r.event.data.contactId === contact.id);
    expect(run.status).toBe("completed");
    expect(await db().caughtMessage.count({ where: { toAddress: contact.email } })).toBe(2);
    // Production's path: the SDK ran steps inline and checkpointed them.
    expect(h.executor.stats.checkpoints).toBeGreaterThan(checkpointsBefore);
  });
});
