/**
 * The sequences list reads its enrollment columns from running counters
 * (SequenceCounter), not from the enrollments. A seeded random mix of what
 * moves them (enrolling one or many, exits of every kind, completions,
 * opt-outs, pauses, contact deletion, folds) is checked against a recount
 * from the Enrollment table, and so is the order by active contacts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteContact } from "../../lib/contacts/delete-contact";
import { unsubscribeContact } from "../../lib/contacts/unsubscribe";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { enrollMany } from "../../lib/sequences/enroll-many";
import { exitContact } from "../../lib/sequences/exit-contact";
import { completeEnrollment } from "../../lib/sequences/run-step";
import { sequenceListPage } from "../../lib/sequences/sequence-list";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeAll(() => resetDb());
afterAll(() => events.restore());

/** The list's former implementation: enrollments grouped by status. */
async function recounted(sequenceIds: string[]) {
  const grouped = await db.enrollment.groupBy({ by: ["sequenceId", "status"], where: { sequenceId: { in: sequenceIds } }, _count: { _all: true } });
  return Object.fromEntries(
    sequenceIds.map((id) => {
      const counts = { active: 0, completed: 0, exited: 0 };
      for (const g of grouped.filter((g) => g.sequenceId === id)) {
        if (g.status === "active" || g.status === "paused") counts.active += g._count._all;
        else if (g.status === "completed") counts.completed += g._count._all;
        else counts.exited += g._count._all;
      }
      return [id, counts];
    }),
  );
}

function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] };
}

describe("the sequences list's counts", () => {
  it("equal a recount from the enrollments through a random mix of changes, and sort by active contacts", async () => {
    const random = prng(20261206);
    const sequences = await Promise.all([
      makeSequence(db, { name: "Again", reentryPolicy: "after_exit" }),
      makeSequence(db, { name: "Once", reentryPolicy: "never" }),
      makeSequence(db, { name: "Third", reentryPolicy: "after_exit" }),
    ]);
    const sequenceIds = sequences.map((s) => s.id);
    let contacts = await Promise.all(Array.from({ length: 25 }, () => makeContact(db)));
    const liveOf = (sequenceId: string) =>
      db.enrollment.findMany({ where: { sequenceId, status: { in: ["active", "paused"] } }, select: { id: true, contactId: true, status: true }, orderBy: { id: "asc" } });

    const operations: Record<string, (sequenceId: string) => Promise<unknown>> = {
      enrollOne: (sequenceId) => enrollContact(db, { contactId: random.pick(contacts).id, sequenceId, source: "manual" }),
      enrollMany: (sequenceId) =>
        enrollMany(db, { pairs: Array.from({ length: 2 + random.int(12) }, () => ({ contactId: random.pick(contacts).id, sequenceId })), source: "import" }),
      exit: async (sequenceId) => {
        const live = await liveOf(sequenceId);
        if (live.length === 0) return;
        const enrollment = random.pick(live);
        const choice = random.int(3);
        if (choice === 0) return exitContact(db, { contactId: enrollment.contactId, sequenceId, reason: random.pick(["removed", "replied", "bounced"] as const) });
        if (choice === 1) return completeEnrollment(db, { enrollmentId: enrollment.id });
        return unsubscribeContact(db, { contactId: enrollment.contactId, source: "admin" }).then(() =>
          db.contact.update({ where: { id: enrollment.contactId }, data: { status: "subscribed", unsubscribedAt: null } }),
        );
      },
      pauseOrResume: async (sequenceId) => {
        const live = await liveOf(sequenceId);
        if (live.length === 0) return;
        const enrollment = random.pick(live);
        await db.enrollment.update({ where: { id: enrollment.id }, data: { status: enrollment.status === "active" ? "paused" : "active" } });
      },
      deleteContact: async () => {
        const contact = random.pick(contacts);
        contacts = [...contacts.filter((c) => c.id !== contact.id), await makeContact(db)];
        await deleteContact(db, { contactId: contact.id, deletedBy: "test" });
      },
      fold: (sequenceId) => db.$executeRaw`SELECT "sequence_counters_fold"(${sequenceId})`,
    };
    const mix = ["enrollOne", "enrollMany", "enrollMany", "exit", "exit", "pauseOrResume", "deleteContact", "fold"];

    const done: Record<string, number> = {};
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 12; i++) {
        const name = random.pick(mix);
        done[name] = (done[name] ?? 0) + 1;
        await operations[name](random.pick(sequenceIds));
      }
      const expected = await recounted(sequenceIds);
      const page = await sequenceListPage(db, { page: 1 }, { sort: "updated", dir: "desc" });
      expect(Object.fromEntries(page.items.map((item) => [item.id, item.counts])), `after round ${round}`).toEqual(expected);

      for (const dir of ["desc", "asc"] as const) {
        const sorted = await sequenceListPage(db, { page: 1 }, { sort: "active", dir });
        const actives = sorted.items.map((item) => expected[item.id].active);
        expect(actives, `sorted by active ${dir}, round ${round}`).toEqual([...actives].sort((a, b) => (dir === "asc" ? a - b : b - a)));
        expect(sorted.items.map((item) => item.counts.active)).toEqual(actives);
      }
    }
    // Every kind of change happened, and the counts moved.
    expect(Object.keys(done).sort()).toEqual(Object.keys(operations).sort());
    const final = await recounted(sequenceIds);
    expect(Object.values(final).some((c) => c.completed > 0 && c.exited > 0 && c.active > 0)).toBe(true);
  });
});
