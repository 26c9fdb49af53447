/**
 * Pacing racing an exit: a send held by the daily cap or the send rate
 * (lib/pacing), or one using a slot it was held for, claimed concurrently
 * with an opt-out or a manual removal, with random delays and latency inside
 * both transactions (as opt-out-race.test.ts). Whatever the interleaving:
 * no send whose claim began after the exit committed delivers anything, at
 * most one delivery per (enrollment, step), the exit always commits, a held
 * send goes out later only if nobody left, and the cap counts exactly the
 * claims made (a hold never uses up a place under the cap).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "../../lib/clock";
import { unsubscribeContact } from "../../lib/contacts/unsubscribe";
import type { Db } from "../../lib/db/prisma";
import { mailConfig } from "../../lib/email/config";
import { setTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { localDay } from "../../lib/schedule/day";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { sendStep, type SendInput, type SendOutcome } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { instrumentDb, startsClaim } from "../support/fault-db";
import { recordingTransport } from "../support/fault-transport";
import { plannedSend } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const RUNS = 50;
const DAY = 86_400_000;
const db = testDb();
const events = recordEvents();
const transport = recordingTransport(new CatcherTransport(db));
let clock = Date.UTC(2026, 0, 5, 12, 0);
/** Sequences: one capped at 1 a day, one with a cap too high to reach (so the rate decides). */
const seq = { capped: { id: "", stepId: "" }, rated: { id: "", stepId: "" } };
/** Places under the cap this test used up by hand (to make the next claim hold). */
let filledByHand = 0;
const previousRate = process.env.STEPWISE_SEND_RATE_PER_MINUTE;

beforeAll(async () => {
  await resetDb(db);
  setTransport(transport);
  setClock({ now: () => clock });
  // One send a second per sender.
  process.env.STEPWISE_SEND_RATE_PER_MINUTE = "60";
  for (const [key, dailyCap] of [["capped", 1], ["rated", 1_000_000]] as const) {
    const s = await makeSequence(db, { dailyCap, steps: [{ subject: "Paced {{firstName}}", delayAmount: 0, delayUnit: "minutes" }] });
    seq[key] = { id: s.id, stepId: s.steps[0].id };
  }
});
afterAll(() => {
  setTransport(null);
  setClock(null);
  events.restore();
  if (previousRate === undefined) delete process.env.STEPWISE_SEND_RATE_PER_MINUTE;
  else process.env.STEPWISE_SEND_RATE_PER_MINUTE = previousRate;
  console.info(`[fault] pacing race: ${JSON.stringify(totals)}`);
});

type Pause = { ms: number } | { turns: number };
const pause = (p: Pause) =>
  "ms" in p ? new Promise((r) => setTimeout(r, p.ms)) : Array.from({ length: p.turns }).reduce<Promise<unknown>>((chain) => chain.then(() => new Promise(setImmediate)), Promise.resolve());
const arbPause: fc.Arbitrary<Pause> = fc.oneof(fc.record({ turns: fc.integer({ min: 0, max: 6 }) }), fc.record({ ms: fc.integer({ min: 0, max: 12 }) }));
const arbLatency = fc.array(fc.oneof(fc.record({ turns: fc.integer({ min: 0, max: 3 }) }), fc.record({ ms: fc.integer({ min: 0, max: 3 }) })), { maxLength: 10 });

/**
 * - `cap-holds`: today's only place is taken: the racing claim is held to tomorrow.
 * - `rate-holds`: the sender's slot was just used: the racing claim reserves the next one and is held.
 * - `slot-reached`: held by the rate earlier; the clock has reached its slot: the racing claim may send.
 */
const MODES = ["cap-holds", "rate-holds", "slot-reached"] as const;
type Mode = (typeof MODES)[number];

const EXITS = [
  { name: "opt-out", status: "opted_out", exit: (client: Db, contactId: string) => unsubscribeContact(client, { contactId, source: "one_click" }) },
  {
    name: "manual removal",
    status: "removed",
    exit: (client: Db, contactId: string, sequenceId: string) => exitContact(client, { contactId, sequenceId, reason: "removed", detail: "fault suite" }),
  },
] as const;

type SendCall = { claimStartedAt: number; outcome?: SendOutcome; error?: unknown };
async function callSendStep(input: SendInput, latency: Pause[]): Promise<SendCall> {
  const call: SendCall = { claimStartedAt: Number.NaN };
  let statement = 0;
  const client = instrumentDb(db, {
    onTransactionStart: (ctx) => startsClaim(ctx) && (call.claimStartedAt = ctx.startedAt),
    beforeQuery: async () => {
      const p = latency[statement++];
      if (p) await pause(p);
    },
  });
  try {
    call.outcome = await sendStep(client, input);
  } catch (error) {
    call.error = error;
  }
  return call;
}

/** Makes the next claim of `mode` meet the situation it names; returns the claim's input. */
async function prepare(mode: Mode, enrollmentId: string): Promise<SendInput> {
  const sender = mailConfig().from;
  const planned = await plannedSend(db, enrollmentId);
  if (mode === "cap-holds") {
    await db.sequenceDaySends.upsert({
      where: { sequenceId_day: { sequenceId: seq.capped.id, day: localDay(new Date(clock), "UTC") } },
      create: { sequenceId: seq.capped.id, day: localDay(new Date(clock), "UTC"), sends: 1 },
      update: {},
    });
    return planned;
  }
  // The sender's last slot is now: the next one is a second away.
  await db.sendPace.upsert({ where: { sender }, create: { sender, lastSlotAt: new Date(clock) }, update: { lastSlotAt: new Date(clock) } });
  if (mode === "rate-holds") return planned;
  const first = await sendStep(db, planned);
  expect(first).toMatchObject({ outcome: "held", reason: "send_rate" });
  clock += 1000;
  return planned;
}

const totals = { interleavings: 0, held: 0, sentInRace: 0, claimsAfterCommit: 0 };

describe.each(EXITS)("a paced send racing a $name", (scenario) => {
  it.each(MODES)(`%s: never delivers after the exit, nor twice, and the cap counts claims only (${RUNS} interleavings)`, async (mode) => {
    await fc.assert(
      fc.asyncProperty(arbPause, arbPause, arbLatency, arbLatency, async (sendAfter, exitAfter, sendLatency, exitLatency) => {
        clock += DAY; // a fresh day and a fresh slot for every interleaving
        const target = mode === "cap-holds" ? seq.capped : seq.rated;
        if (mode === "cap-holds") filledByHand++;
        const contact = await makeContact(db);
        const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: target.id, source: "manual" });
        if (enrolled.outcome !== "enrolled") throw new Error(`not enrolled: ${enrolled.outcome}`);
        const { enrollmentId } = enrolled;
        const input = await prepare(mode, enrollmentId);
        const key = `${enrollmentId}:${target.stepId}`;
        const before = transport.deliveries.length;

        let exitCommittedAt = Number.NaN;
        let statement = 0;
        const exitDb = instrumentDb(db, {
          onTransactionCommitted: () => (exitCommittedAt = performance.now()),
          beforeQuery: async () => {
            const p = exitLatency[statement++];
            if (p) await pause(p);
          },
        });
        const [send, exitError] = await Promise.all([
          pause(sendAfter).then(() => callSendStep(input, sendLatency)),
          pause(exitAfter).then(() => scenario.exit(exitDb, contact.id, target.id).then(() => null, (error: unknown) => error)),
        ]);
        // Past any hold: what the run does when its wait ends (a claim certainly after the commit).
        clock += mode === "cap-holds" ? DAY : 2000;
        const later = await callSendStep(input, []);

        expect(exitError, "the exit failed").toBeNull();
        expect(exitCommittedAt).not.toBeNaN();
        expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).status).toBe(scenario.status);
        expect(send.error).toBeUndefined();
        expect(later.error).toBeUndefined();
        expect(later.outcome?.outcome).toBe("stopped");
        if (send.claimStartedAt > exitCommittedAt) {
          totals.claimsAfterCommit++;
          expect(send.outcome?.outcome).not.toBe("sent");
        }
        // A claim that had to hold sends nothing; else it sent or stopped on the exit.
        const allowed = mode === "slot-reached" ? ["sent", "stopped"] : ["held", "stopped"];
        expect(allowed).toContain(send.outcome?.outcome);
        const delivered = transport.deliveries.slice(before).filter((d) => d.key === key);
        expect(delivered).toHaveLength(send.outcome?.outcome === "sent" ? 1 : 0);
        if (send.outcome?.outcome === "sent") expect(send.claimStartedAt).toBeLessThan(exitCommittedAt);
        expect(await db.stepSend.count({ where: { enrollmentId } })).toBe(delivered.length);

        // The cap counted exactly the claims made (plus the places this test filled by hand).
        const counted = await db.sequenceDaySends.aggregate({ _sum: { sends: true }, where: { sequenceId: target.id } });
        const claims = await db.stepSend.count({ where: { enrollment: { sequenceId: target.id } } });
        expect(counted._sum.sends ?? 0).toBe(claims + (target === seq.capped ? filledByHand : 0));

        totals.interleavings++;
        if (send.outcome?.outcome === "held") totals.held++;
        if (send.outcome?.outcome === "sent") totals.sentInRace++;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});

describe("a held send nobody raced", () => {
  it("goes out once when its time comes, and its hold is on the timeline (not a skip)", async () => {
    clock += DAY;
    const contact = await makeContact(db);
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: seq.rated.id, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
    const input = await prepare("rate-holds", enrolled.enrollmentId);
    expect(await sendStep(db, input)).toMatchObject({ outcome: "held", reason: "send_rate", until: new Date(clock + 1000).toISOString() });
    // Woken early (a publish): the run plans again (the due time goes back to the step's own)
    // and claims: held again to the same slot, no second line, no new slot.
    expect(await sendStep(db, input)).toMatchObject({ outcome: "not_due" });
    await plannedSend(db, enrolled.enrollmentId);
    expect(await sendStep(db, input)).toMatchObject({ outcome: "held", reason: "send_rate", until: new Date(clock + 1000).toISOString() });
    clock += 1000;
    expect(await sendStep(db, input)).toMatchObject({ outcome: "sent" });
    expect(await sendStep(db, input)).toMatchObject({ outcome: "already_handled" });
    const timeline = await db.enrollmentEvent.findMany({ where: { enrollmentId: enrolled.enrollmentId }, orderBy: { id: "asc" } });
    expect(timeline.map((e) => [e.type, e.reason])).toEqual([
      ["enrolled", "manual"],
      ["step_held", "send_rate"],
      ["step_sent", expect.any(String)],
    ]);
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrolled.enrollmentId } })).sendSlotAt).toBeNull();
  });
});
