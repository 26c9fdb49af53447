import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/prisma";
import { enrollContact, type EnrollResult } from "../../lib/sequences/enroll-contact";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { endLiveEnrollments, exitContact } from "../../lib/sequences/exit-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents, startedEnrollmentIds } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());

const MISSING = "00000000-0000-4000-8000-000000000000";

type Pair = { contactId: string; sequenceId: string };

/** Each scenario builds a fresh (contact, sequence) in some state. */
const SCENARIOS: Record<string, (db: Db) => Promise<Pair>> = {
  fresh: async (db) => pair(await makeContact(db), await makeSequence(db)),
  unsubscribed: async (db) => pair(await makeContact(db, { status: "unsubscribed" }), await makeSequence(db)),
  bounced: async (db) => pair(await makeContact(db, { status: "bounced" }), await makeSequence(db)),
  deleted: async (db) => pair(await makeContact(db, { deletedAt: new Date() }), await makeSequence(db)),
  draftSequence: async (db) => pair(await makeContact(db), await makeSequence(db, { status: "draft" })),
  pausedSequence: async (db) => pair(await makeContact(db), await makeSequence(db, { status: "paused" })),
  archivedSequence: async (db) => pair(await makeContact(db), await makeSequence(db, { status: "archived" })),
  unknownContact: async (db) => ({ contactId: MISSING, sequenceId: (await makeSequence(db)).id }),
  unknownSequence: async (db) => ({ contactId: (await makeContact(db)).id, sequenceId: MISSING }),
  alreadyActive: async (db) => passed(db, "never", null),
  alreadyPaused: async (db) => {
    const p = await passed(db, "never", null);
    await db.enrollment.updateMany({ where: p, data: { status: "paused" } });
    return p;
  },
  neverAfterCompleted: (db) => passed(db, "never", "completed"),
  afterExitAfterRemoved: (db) => passed(db, "after_exit", "removed"),
  afterCompletionAfterRemoved: (db) => passed(db, "after_completion", "removed"),
  afterCompletionAfterCompleted: (db) => passed(db, "after_completion", "completed"),
};

function pair(contact: { id: string }, sequence: { id: string }): Pair {
  return { contactId: contact.id, sequenceId: sequence.id };
}

/** A contact who went through a sequence once and (unless exit is null) left it. */
async function passed(db: Db, policy: "never" | "after_exit" | "after_completion", exit: "completed" | "removed" | null): Promise<Pair> {
  const p = pair(await makeContact(db), await makeSequence(db, { reentryPolicy: policy }));
  await enrollContact(db, { ...p, source: "manual" });
  if (exit) await exitContact(db, { ...p, reason: exit });
  return p;
}

/** An outcome without ids that differ between two runs; ids of existing enrollments are checked apart. */
function shape(result: EnrollResult) {
  if (result.outcome === "refused") return result;
  return { outcome: result.outcome, hasEnrollment: result.enrollmentId !== null };
}

async function logOf(p: Pair) {
  const log = await db.enrollmentEvent.findMany({ where: { contactId: p.contactId, sequenceId: p.sequenceId }, orderBy: { id: "asc" } });
  return log.map((e) => ({ type: e.type, reason: e.reason, hasEnrollment: e.enrollmentId !== null, data: e.data }));
}

describe("enrollMany agrees with enrollContact", () => {
  it("on every refusal rule, outcome and event log alike", async () => {
    const names = Object.keys(SCENARIOS);
    const viaOne: Pair[] = [];
    const viaMany: Pair[] = [];
    for (const name of names) viaOne.push(await SCENARIOS[name](db));
    for (const name of names) viaMany.push(await SCENARIOS[name](db));
    const logsBefore = await Promise.all([...viaOne, ...viaMany].map(logOf));

    const one: EnrollResult[] = [];
    for (const p of viaOne) one.push(await enrollContact(db, { ...p, source: "trigger:tag_added" }));
    const many = await enrollMany(db, { pairs: viaMany, source: "trigger:tag_added" });

    const byName = (results: EnrollResult[]) => Object.fromEntries(names.map((n, i) => [n, shape(results[i])]));
    expect(byName(many)).toEqual(byName(one));
    // Sanity: the scenarios do cover each outcome.
    expect(byName(many)).toMatchObject({
      fresh: { outcome: "enrolled" },
      unsubscribed: { outcome: "refused", reason: "contact_unsubscribed" },
      bounced: { outcome: "refused", reason: "contact_bounced" },
      deleted: { outcome: "refused", reason: "contact_deleted" },
      draftSequence: { outcome: "refused", reason: "sequence_not_active" },
      pausedSequence: { outcome: "refused", reason: "sequence_not_active" },
      archivedSequence: { outcome: "refused", reason: "sequence_not_active" },
      unknownContact: { outcome: "refused", reason: "contact_not_found" },
      unknownSequence: { outcome: "refused", reason: "sequence_not_found" },
      alreadyActive: { outcome: "already_enrolled", hasEnrollment: true },
      alreadyPaused: { outcome: "already_enrolled", hasEnrollment: true },
      neverAfterCompleted: { outcome: "refused", reason: "reentry_not_allowed" },
      afterExitAfterRemoved: { outcome: "enrolled" },
      afterCompletionAfterRemoved: { outcome: "refused", reason: "reentry_not_allowed" },
      afterCompletionAfterCompleted: { outcome: "enrolled" },
    });

    // already_enrolled names the live enrollment, in both.
    for (const [results, pairs] of [[one, viaOne], [many, viaMany]] as const) {
      const index = names.indexOf("alreadyActive");
      const live = await db.enrollment.findFirstOrThrow({ where: { ...pairs[index], status: "active" } });
      expect(results[index]).toEqual({ outcome: "already_enrolled", enrollmentId: live.id });
    }

    // The same events were logged for each scenario.
    const logsAfter = await Promise.all([...viaOne, ...viaMany].map(logOf));
    const added = logsAfter.map((log, i) => log.slice(logsBefore[i].length));
    expect(added.slice(names.length)).toEqual(added.slice(0, names.length));
  });

  it("creates the same enrollment rows and start events", async () => {
    const sequence = await makeSequence(db, { exitOnReply: false, steps: [{ delayAmount: 3, delayUnit: "hours" }, { delayAmount: 1 }] });
    const [a, b] = [await makeContact(db), await makeContact(db)];
    const trigger = await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "signup" } });

    const one = await enrollContact(db, { contactId: a.id, sequenceId: sequence.id, source: "trigger:signup", triggerId: trigger.id });
    const [many] = await enrollMany(db, { pairs: [{ contactId: b.id, sequenceId: sequence.id, triggerId: trigger.id }], source: "trigger:signup" });
    if (one.outcome !== "enrolled" || many.outcome !== "enrolled") throw new Error("expected both to enroll");

    const rows = await db.enrollment.findMany({ where: { id: { in: [one.enrollmentId, many.enrollmentId] } } });
    const strip = (row: (typeof rows)[number]) => ({
      status: row.status,
      source: row.source,
      triggerId: row.triggerId,
      currentStepIndex: row.currentStepIndex,
      delay: row.nextStepDueAt!.getTime() - row.enrolledAt.getTime(),
      recent: Math.abs(row.enrolledAt.getTime() - Date.now()) < 60_000,
    });
    expect(strip(rows[1])).toEqual(strip(rows[0]));
    expect(strip(rows[0])).toMatchObject({ delay: 3 * 3_600_000, recent: true, triggerId: trigger.id });

    const started = events.sent.filter((e) => e.name === "stepwise/enrollment.started");
    expect(started).toHaveLength(2);
    expect(started[1]).toEqual({
      name: "stepwise/enrollment.started",
      id: `enrollment-run-${many.enrollmentId}`,
      data: { enrollmentId: many.enrollmentId, contactId: b.id, sequenceId: sequence.id, exitOnReply: false, runKey: many.enrollmentId },
    });
  });

  it("answers a repeated pair as a second enrollContact call would", async () => {
    const p = pair(await makeContact(db), await makeSequence(db));
    const blocked = pair(await makeContact(db, { status: "bounced" }), await makeSequence(db));
    const results = await enrollMany(db, { pairs: [p, blocked, p, blocked], source: "manual" });
    const first = results[0];
    if (first.outcome !== "enrolled") throw new Error("expected an enrollment");
    expect(results.slice(1)).toEqual([
      { outcome: "refused", reason: "contact_bounced" },
      { outcome: "already_enrolled", enrollmentId: first.enrollmentId },
      { outcome: "refused", reason: "contact_bounced" },
    ]);
    expect(await db.enrollment.count()).toBe(1);
  });

  it("rejects malformed input and writes nothing", async () => {
    await expect(enrollMany(db, { pairs: [{ contactId: "nope", sequenceId: MISSING }], source: "manual" })).rejects.toMatchObject({ code: "validation" });
    expect(await db.enrollmentEvent.count()).toBe(0);
  });
});

describe("enrollMany under concurrency", () => {
  it("overlapping bulk calls and single calls leave exactly one live enrollment per pair, without deadlocks", async () => {
    const sequences = [await makeSequence(db), await makeSequence(db)];
    const contacts = await Promise.all(Array.from({ length: 60 }, () => makeContact(db)));
    const pairs = contacts.flatMap((c) => sequences.map((s) => pair(c, s)));
    const reversed = [...pairs].reverse();

    const [bulkA, bulkB, bulkC, ...singles] = await Promise.all([
      enrollMany(db, { pairs, source: "trigger:tag_added" }),
      enrollMany(db, { pairs: reversed, source: "trigger:tag_added" }),
      enrollMany(db, { pairs: pairs.slice(30, 90), source: "trigger:tag_added" }),
      ...pairs.slice(0, 20).map((p) => enrollContact(db, { ...p, source: "manual" })),
    ]);

    const all = [...bulkA, ...bulkB, ...bulkC, ...singles];
    expect(all.filter((r) => r.outcome === "enrolled")).toHaveLength(pairs.length);
    expect(all.filter((r) => r.outcome === "already_enrolled")).toHaveLength(all.length - pairs.length);
    expect(await db.enrollment.count({ where: { status: "active" } })).toBe(pairs.length);
    expect(await db.enrollmentEvent.count({ where: { type: "enrolled" } })).toBe(pairs.length);
    // One run start per enrollment, alone or in a cohort of its sequence.
    const started = startedEnrollmentIds(events.sent);
    expect(new Set(started).size).toBe(pairs.length);
    expect(started).toHaveLength(pairs.length);
  });

  it("an opt-out committing during a bulk enrollment never leaves the contact in a sequence", async () => {
    const sequence = await makeSequence(db);
    const contacts = await Promise.all(Array.from({ length: 30 }, () => makeContact(db)));
    const victim = contacts[15];

    // The unsubscribe flow: lock the contact, mark it, end its enrollments,
    // commit. The bulk enrollment starts after the (still uncommitted) end
    // found nothing: it must wait and then refuse, not enroll from a stale read.
    let ready!: () => void;
    const optOutDone = new Promise<void>((resolve) => (ready = resolve));
    const optOut = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "Contact" WHERE "id" = ${victim.id} FOR UPDATE`;
      await tx.contact.update({ where: { id: victim.id }, data: { status: "unsubscribed", unsubscribedAt: new Date() } });
      await endLiveEnrollments(tx, { contactId: victim.id, reason: "opted_out" });
      ready();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await optOutDone;
    const results = await enrollMany(db, { pairs: contacts.map((c) => pair(c, sequence)), source: "trigger:tag_added" });
    await optOut;

    expect(results[15]).toEqual({ outcome: "refused", reason: "contact_unsubscribed" });
    expect(await db.enrollment.count({ where: { contactId: victim.id } })).toBe(0);
    expect(await db.enrollment.count({ where: { status: "active" } })).toBe(29);
  });
});
