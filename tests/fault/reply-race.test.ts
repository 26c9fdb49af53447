/**
 * A reply arriving while the next step is being sent (issue 21): step 1 has
 * gone out, the contact answers it, and the reply is read from the mailbox
 * (parsed and handled as the IMAP reader does) while step 2's send runs, with
 * random delays before both and random latency inside their transactions.
 *
 * "After the reply is recorded" means: a send whose claim transaction began
 * (sendStep called $transaction) after the transaction that stored the reply
 * (its InboundReply row) had returned from COMMIT, both timed with
 * performance.now(). Such a send must deliver nothing. A claim begun
 * earlier may still deliver step 2: the reply and step 2 crossed, the
 * documented window (as with an opt-out, tests/fault/opt-out-race.test.ts).
 * Every run also retries the send afterwards, and the reply must end the
 * enrollment (reason replied) in every run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/prisma";
import { setTransport } from "../../lib/email/transports";
import { CatcherTransport } from "../../lib/email/transports/catcher";
import { handleMessage } from "../../lib/mailbox/handle-message";
import { parseMessage } from "../../lib/mailbox/parse-message";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep, type SendInput, type SendOutcome } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { instrumentDb, startsClaim } from "../support/fault-db";
import { recordingTransport } from "../support/fault-transport";
import { plannedSend } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const RUNS = 150;
const db = testDb();
const events = recordEvents();
const transport = recordingTransport(new CatcherTransport(db));
let sequenceId: string;
let step2Id: string;

beforeAll(async () => {
  await resetDb(db);
  setTransport(transport);
  const sequence = await makeSequence(db, {
    exitOnReply: true,
    steps: [
      { subject: "Hello {{firstName}}", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Following up", delayAmount: 0, delayUnit: "minutes" },
    ],
  });
  sequenceId = sequence.id;
  step2Id = sequence.steps[1].id;
});
afterAll(() => {
  setTransport(null);
  events.restore();
  console.info(`[fault] reply race: ${JSON.stringify(totals)}`);
});

type Pause = { ms: number } | { turns: number };
const pause = (p: Pause) =>
  "ms" in p ? new Promise((r) => setTimeout(r, p.ms)) : Array.from({ length: p.turns }).reduce<Promise<unknown>>((chain) => chain.then(() => new Promise(setImmediate)), Promise.resolve());
const arbPause: fc.Arbitrary<Pause> = fc.oneof(fc.record({ turns: fc.integer({ min: 0, max: 6 }) }), fc.record({ ms: fc.integer({ min: 0, max: 15 }) }));
const arbLatency = fc.array(fc.oneof(fc.record({ turns: fc.integer({ min: 0, max: 3 }) }), fc.record({ ms: fc.integer({ min: 0, max: 4 }) })), { maxLength: 8 });
// Reading and matching a reply takes several queries before it is stored: the send waits longer, so both orders occur.
const arbSendPause: fc.Arbitrary<Pause> = fc.oneof(fc.record({ turns: fc.integer({ min: 0, max: 6 }) }), fc.record({ ms: fc.integer({ min: 0, max: 80 }) }));
const arbInterleaving = fc.record({ sendAfter: arbSendPause, replyAfter: arbPause, sendLatency: arbLatency, replyLatency: arbLatency });

function withLatency(latency: Pause[], hooks: Parameters<typeof instrumentDb>[1]): Db {
  let statement = 0;
  return instrumentDb(db, {
    ...hooks,
    beforeQuery: async () => {
      const p = latency[statement++];
      if (p) await pause(p);
    },
  });
}

/**
 * The replying side's client: latency inside its transactions, and the
 * moment the reply row became visible to others, whether it is stored in a
 * transaction of its own, inside a larger one, or by a single statement.
 */
function replyingDb(latency: Pause[], recorded: { at: number }, afterStore?: () => Promise<void>): Db {
  const stores = (statement: string) => /inboundReply\.|"InboundReply"/.test(statement);
  let statement = 0;
  const instrumented = instrumentDb(db, {
    beforeQuery: async (ctx) => {
      const p = latency[statement++];
      if (p) await pause(p);
      // Inside a transaction: the statement after the one that stored the reply.
      if (afterStore && ctx.statements.length > 1 && stores(ctx.statements[ctx.statements.length - 2])) await afterStore();
    },
    onTransactionCommitted: (ctx) => ctx.statements.some(stores) && (recorded.at = performance.now()),
  });
  return new Proxy(instrumented, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== "inboundReply") return typeof value === "function" ? value.bind(target) : value;
      return new Proxy(value as object, {
        get(delegate, method) {
          const fn = Reflect.get(delegate, method, delegate) as unknown;
          if (typeof fn !== "function") return fn;
          return async (...args: unknown[]) => {
            const result = await fn.apply(delegate, args);
            if (/^(create|createMany|upsert)$/.test(String(method))) {
              recorded.at = performance.now();
              await afterStore?.();
            }
            return result;
          };
        },
      });
    },
  }) as Db;
}

type SendCall = { claimStartedAt: number; outcome?: SendOutcome; error?: unknown };

async function callSendStep(input: SendInput, latency: Pause[]): Promise<SendCall> {
  const call: SendCall = { claimStartedAt: Number.NaN };
  const client = withLatency(latency, { onTransactionStart: (ctx) => startsClaim(ctx) && (call.claimStartedAt = ctx.startedAt) });
  try {
    call.outcome = await sendStep(client, input);
  } catch (error) {
    call.error = error;
  }
  return call;
}

function replyTo(contactEmail: string, messageId: string): Buffer {
  return Buffer.from(
    [
      `From: <${contactEmail}>`,
      "To: Stepwise Demo <hello@stepwise.local>",
      "Subject: Re: Hello",
      `Message-ID: <reply-${messageId}>`,
      `In-Reply-To: <${messageId}>`,
      `References: <${messageId}>`,
      "Date: Sun, 06 Dec 2026 08:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Thanks, no need to follow up.",
      "",
    ].join("\r\n"),
  );
}

const totals = { interleavings: 0, racedClaimsAfterReply: 0, step2Delivered: 0 };

describe("step 2 being sent while the contact's reply to step 1 is read from the mailbox", () => {
  it(`never delivers step 2 from a claim begun after the reply was recorded (${RUNS} interleavings)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbInterleaving, async (plan) => {
        const contact = await makeContact(db);
        const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
        if (enrolled.outcome !== "enrolled") throw new Error(`not enrolled: ${enrolled.outcome}`);
        const { enrollmentId } = enrolled;
        const step1 = await sendStep(db, await plannedSend(db, enrollmentId));
        if (step1.outcome !== "sent") throw new Error(`step 1 not sent: ${JSON.stringify(step1)}`);
        const { messageId } = await db.stepSend.findFirstOrThrow({ where: { enrollmentId, status: "sent" }, select: { messageId: true } });
        const step2 = await plannedSend(db, enrollmentId);
        expect(step2.stepId).toBe(step2Id);
        const reply = parseMessage(replyTo(contact.email, messageId!));
        const key = `${enrollmentId}:${step2Id}`;
        const before = transport.deliveries.length;

        const recorded = { at: Number.NaN };
        const [send, handled] = await Promise.all([
          pause(plan.sendAfter).then(() => callSendStep(step2, plan.sendLatency)),
          pause(plan.replyAfter).then(() => handleMessage(replyingDb(plan.replyLatency, recorded), reply).then((h) => h, (error: unknown) => error)),
        ]);
        const retry = await callSendStep(step2, []);

        // The reply is never lost to the race: it is stored and ends the enrollment.
        expect(handled).toEqual({ kind: "reply", exited: expect.any(Number) });
        expect(recorded.at).not.toBeNaN();
        expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).status).toBe("replied");

        const delivered = transport.deliveries.slice(before).filter((d) => d.key === key);
        for (const call of [send, retry]) {
          if (!(call.claimStartedAt > recorded.at)) continue;
          if (call === send) totals.racedClaimsAfterReply++;
          expect(call.outcome?.outcome, "a claim begun after the reply was recorded went on to send step 2").not.toBe("sent");
        }
        const sent = [send, retry].filter((c) => c.outcome?.outcome === "sent");
        expect(delivered).toHaveLength(sent.length);
        expect(sent.length).toBeLessThanOrEqual(1);
        expect(retry.outcome?.outcome).toBe("stopped");
        totals.interleavings++;
        totals.step2Delivered += delivered.length;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});

/**
 * The interleaving random runs rarely hit: the reply has just been stored
 * (by a statement of its own, or inside a transaction still open) when
 * step 2's send runs from start to finish, and only then does the reply's
 * handling go on. A claim begun after the reply was recorded must not send.
 */
describe("step 2 sent, start to finish, right after the reply's row was written", () => {
  it("is sent only if the reply was not yet committed when its claim began; the reply still ends the enrollment", async () => {
    const contact = await makeContact(db);
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
    await sendStep(db, await plannedSend(db, enrolled.enrollmentId));
    const { messageId } = await db.stepSend.findFirstOrThrow({ where: { enrollmentId: enrolled.enrollmentId, status: "sent" }, select: { messageId: true } });
    const step2 = await plannedSend(db, enrolled.enrollmentId);
    const before = transport.deliveries.length;

    const recorded = { at: Number.NaN };
    let send: SendCall | undefined;
    const afterStore = async () => {
      send ??= await callSendStep(step2, []);
    };
    const handled = await handleMessage(replyingDb([], recorded, afterStore), parseMessage(replyTo(contact.email, messageId!)));

    expect(handled).toEqual({ kind: "reply", exited: 1 });
    expect(send).toBeDefined();
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrolled.enrollmentId } })).status).toBe("replied");
    if (send!.claimStartedAt > recorded.at) expect(send!.outcome?.outcome, "step 2 went out after the reply was recorded").not.toBe("sent");
    const delivered = transport.deliveries.slice(before).filter((d) => d.key === `${enrolled.enrollmentId}:${step2Id}`);
    expect(delivered).toHaveLength(send!.outcome?.outcome === "sent" ? 1 : 0);
    expect((await callSendStep(step2, [])).outcome?.outcome).toBe("stopped");
  });
});
