/**
 * EngagementTotal (migration *_engagement_totals): the all-time sums per
 * (sequence, kind) that the sequences list's rate columns and its sort by a
 * rate read, kept by statement-level triggers on EngagementCounter. Checked
 * against the counters' own sums after every way they change: sends (the
 * StepSend trigger's "sent"), opens, clicks, replies, unsubscribes and
 * bounces through the app's paths, a fold of the counters, a fold of the
 * totals, an update and a delete; the list's rates against the counters'
 * (getSequenceRates, which still sums EngagementCounter).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../support/database-url";

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET = "engagement-totals-test-secret-0123456789";

const { setClock } = await import("../../lib/clock");
const { markBounced } = await import("../../lib/contacts/bounce");
const { unsubscribeContact } = await import("../../lib/contacts/unsubscribe");
const { setTransport } = await import("../../lib/email/transports");
const { CatcherTransport } = await import("../../lib/email/transports/catcher");
const { recordInboundReply } = await import("../../lib/replies/record-reply");
const { enrollContact } = await import("../../lib/sequences/enroll-contact");
const { planNextStep, sendStep } = await import("../../lib/sequences/run-step");
const { sequenceListPage } = await import("../../lib/sequences/sequence-list");
const { getSequenceRates } = await import("../../lib/tracking/analytics");
const { createClickToken, createOpenToken } = await import("../../lib/tracking/token");
const click = await import("../../app/r/[token]/route");
const open = await import("../../app/o/[token]/route");
const { resetDb, testDb, waitForLockWaiters } = await import("../support/db");
const { recordEvents } = await import("../support/events");
const { makeContact, makeSequence } = await import("../support/factories");

const db = testDb();
const events = recordEvents();
const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const KINDS = ["sent", "replied", "unsubscribed", "bounced"];

let at = Date.parse("2026-06-01T09:00:00Z");
const advance = (ms: number) => (at += ms);

beforeEach(async () => {
  await resetDb();
  at = Date.parse("2026-06-01T09:00:00Z");
  setClock({ now: () => at });
  setTransport(new CatcherTransport(db));
});
afterEach(() => {
  setClock(null);
  setTransport(null);
});
afterAll(() => events.restore());

type Sums = Record<string, number>;

/** "<sequenceId>/<kind>" → the non-zero sum, from one table. */
async function sums(table: "EngagementTotal" | "EngagementCounter"): Promise<Sums> {
  const rows = await db.$queryRawUnsafe<{ key: string; n: number }[]>(
    `SELECT "sequenceId" || '/' || "kind" AS key, sum("delta")::int AS n FROM "${table}"
     WHERE "kind" = ANY($1) GROUP BY 1 HAVING sum("delta") <> 0`,
    KINDS,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

/** The totals equal the counters' sums, per (sequence, kind); returns them. */
async function totalsMatchCounters(): Promise<Sums> {
  const counters = await sums("EngagementCounter");
  expect(await sums("EngagementTotal")).toEqual(counters);
  return counters;
}

const totalRows = async (sequenceId: string) => db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "EngagementTotal" WHERE "sequenceId" = ${sequenceId}`.then(([r]) => r.n);

/** A sequence of `steps` steps (with a link to click), `contacts` contacts enrolled and every step sent to each. */
async function sentSequence(name: string, contacts: number, steps = 2) {
  const sequence = await makeSequence(db, {
    name,
    steps: Array.from({ length: steps }, (_, i) => ({ delayAmount: 0, delayUnit: "minutes" as const, body: `Step ${i + 1}: read https://example.com/guide today.` })),
  });
  const people = [];
  for (let c = 0; c < contacts; c++) {
    const contact = await makeContact(db);
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
    for (let s = 0; s < steps; s++) {
      const plan = await planNextStep(db, { enrollmentId: enrolled.enrollmentId });
      if (plan.kind !== "step") throw new Error(`expected a step, got ${plan.kind}`);
      expect((await sendStep(db, { enrollmentId: enrolled.enrollmentId, stepId: plan.stepId, version: plan.version })).outcome).toBe("sent");
      advance(1_000);
    }
    const sends = await db.stepSend.findMany({ where: { enrollmentId: enrolled.enrollmentId }, orderBy: { sentAt: "asc" } });
    people.push({ contact, sends });
  }
  return { sequence, people };
}

async function get(route: { GET: (r: Request, c: { params: Promise<{ token: string }> }) => Promise<Response> }, token: string) {
  const request = new Request(`http://localhost:3000/x/${encodeURIComponent(token)}`, { headers: { "user-agent": BROWSER, "x-forwarded-for": "198.51.100.20" } });
  return route.GET(request, { params: Promise.resolve({ token }) });
}

/** The list's rates of these sequences (one page holds them all), by id. */
async function listRates(ids: string[]) {
  const page = await sequenceListPage(db, { page: 1 });
  return Object.fromEntries(ids.map((id) => [id, page.items.find((item) => item.id === id)!.rates]));
}

/** The rates as summed from the counters, the list's former source. */
async function counterRates(ids: string[]) {
  const rates = await getSequenceRates(db, ids);
  return Object.fromEntries(ids.map((id) => [id, rates.get(id)!]));
}

describe("engagement totals", () => {
  it("equal the counters' sums per sequence and kind through sends, engagement, folds, an update and a delete; the list's rates stay the counters'", async () => {
    const a = await sentSequence("Alpha", 3);
    const b = await sentSequence("Beta", 2);
    const quiet = await makeSequence(db, { name: "Quiet" });
    const ids = [a.sequence.id, b.sequence.id, quiet.id];
    expect(await totalsMatchCounters()).toEqual({ [`${a.sequence.id}/sent`]: 6, [`${b.sequence.id}/sent`]: 4 });

    // Opens and clicks by a person (counted, but not in the totals' kinds), then replies, unsubscribes and bounces.
    advance(60_000);
    const [first, second, third] = a.people;
    expect(await db.trackedLink.count({ where: { sendId: first.sends[0].id } })).toBeGreaterThan(0);
    expect((await get(open, createOpenToken(first.sends[0].id))).status).toBe(200);
    expect((await get(click, createClickToken({ sendId: first.sends[0].id, index: 0 }))).status).toBe(302);
    expect((await recordInboundReply(db, { from: first.contact.email, subject: "Re: Step 2", inReplyTo: `<${first.sends[1].messageId}>` }, { provider: "generic" })).matchedSend).toBe(true);
    await unsubscribeContact(db, { contactId: second.contact.id, messageRef: second.sends[0].id, source: "one_click" });
    await markBounced(db, { email: third.contact.email, kind: "hard", sendId: third.sends[1].id });
    await markBounced(db, { email: b.people[0].contact.email, kind: "hard" });
    const engaged = await totalsMatchCounters();
    expect(engaged).toMatchObject({ [`${a.sequence.id}/replied`]: 1, [`${a.sequence.id}/unsubscribed`]: 1, [`${a.sequence.id}/bounced`]: 1, [`${b.sequence.id}/bounced`]: 1 });
    const counted = await db.engagementCounter.groupBy({ by: ["kind"], _sum: { delta: true } });
    expect(Object.fromEntries(counted.map((c) => [c.kind, c._sum.delta]))).toMatchObject({ opened: 1, clicked: 1 });

    const rates = await counterRates(ids);
    expect(rates[a.sequence.id]).toMatchObject({ delivered: 5, replyRate: 1 / 5, unsubscribeRate: 1 / 5 });
    expect(rates[quiet.id]).toMatchObject({ delivered: 0, replyRate: null });
    expect(await listRates(ids)).toEqual(rates);

    // A fold of the counters nets to zero in the totals; a fold of the totals leaves one row per kind.
    for (const id of ids) await db.$executeRaw`SELECT "engagement_counters_fold"(${id})`;
    expect(await totalsMatchCounters()).toEqual(engaged);
    for (const id of ids) await db.$executeRaw`SELECT "engagement_totals_fold"(${id})`;
    expect(await totalsMatchCounters()).toEqual(engaged);
    expect(await totalRows(a.sequence.id)).toBe(4);
    expect(await totalRows(b.sequence.id)).toBe(2);
    expect(await listRates(ids)).toEqual(rates);

    // The app never updates or deletes counters; if anyone does, the totals follow.
    await db.$executeRaw`UPDATE "EngagementCounter" SET "kind" = 'replied' WHERE "sequenceId" = ${b.sequence.id} AND "kind" = 'bounced'`;
    expect(await totalsMatchCounters()).toMatchObject({ [`${b.sequence.id}/replied`]: 1 });
    await db.$executeRaw`DELETE FROM "EngagementCounter" WHERE "sequenceId" = ${b.sequence.id}`;
    expect(Object.keys(await totalsMatchCounters()).filter((key) => key.startsWith(b.sequence.id))).toEqual([]);
  });

  it("sort the list by a rate as the counters do", async () => {
    await sentSequence("Alpha", 2, 1);
    const b = await sentSequence("Beta", 2, 1);
    const c = await sentSequence("Gamma", 2, 1);
    const reply = (s: typeof b, i: number) =>
      recordInboundReply(db, { from: s.people[i].contact.email, subject: "Re", inReplyTo: `<${s.people[i].sends[0].messageId}>` }, { provider: "generic" });
    await reply(b, 0);
    await reply(b, 1);
    await reply(c, 0);
    await totalsMatchCounters();
    const byReply = (await sequenceListPage(db, { page: 1 }, { sort: "replyRate", dir: "desc" })).items.map((item) => item.name);
    expect(byReply).toEqual(["Beta", "Gamma", "Alpha"]);
  });

  it("a sequence's totals piled up past the fold threshold are folded by the list's read, which shows the same rates", async () => {
    const { sequence } = await sentSequence("Busy", 1, 1);
    const [step] = await db.sequenceStep.findMany({ where: { sequenceId: sequence.id } });
    // One statement per change appends one row: 150 replies recorded one by one.
    for (let i = 0; i < 150; i++) {
      await db.$executeRaw`INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta") VALUES (${sequence.id}, ${step.id}, '2026-06-01', 'replied', 1)`;
    }
    expect(await totalRows(sequence.id)).toBe(151);
    const before = await counterRates([sequence.id]);
    expect(await listRates([sequence.id])).toEqual(before);
    expect(await totalRows(sequence.id)).toBe(2);
    expect(await listRates([sequence.id])).toEqual(before);
    await totalsMatchCounters();
  });

  it("writers only append: an uncommitted counter change does not hold up another one of the same sequence and kind", async () => {
    const { sequence } = await sentSequence("Shared", 1, 1);
    const [step] = await db.sequenceStep.findMany({ where: { sequenceId: sequence.id } });
    const append = (client: Pick<typeof db, "$executeRaw">) =>
      client.$executeRaw`INSERT INTO "EngagementCounter" ("sequenceId", "stepId", "day", "kind", "delta") VALUES (${sequence.id}, ${step.id}, '2026-06-01', 'sent', 1)`;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended = () => {};
    const firstDone = new Promise<void>((resolve) => (appended = resolve));
    const first = db.$transaction(async (tx) => {
      await append(tx);
      appended();
      await held;
    }, { timeout: 20_000 });
    await firstDone;
    // The second writer commits while the first is still open: no lock wait.
    const second = append(db);
    const outcome = await Promise.race([second.then(() => "committed"), waitForLockWaiters(1, 5_000).then(() => "waited on a lock")]);
    release();
    await Promise.all([first, second]);
    expect(outcome).toBe("committed");
    expect(await totalsMatchCounters()).toEqual({ [`${sequence.id}/sent`]: 3 });
  });
});
