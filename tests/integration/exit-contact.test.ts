import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { exitContact } from "../../lib/sequences/exit-contact";
import { EXIT_REASONS, type TExitReason } from "../../lib/sequences/exit-reasons";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});
afterAll(() => events.restore());

async function enrolledContact(sequenceIds: string[]) {
  const contact = await makeContact(db);
  for (const sequenceId of sequenceIds) {
    const r = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
    expect(r.outcome).toBe("enrolled");
  }
  events.sent.length = 0;
  return contact;
}

const EXPECTED_EVENT: Record<TExitReason, string | null> = {
  completed: null,
  replied: "contact.replied",
  opted_out: "contact.opted_out",
  removed: "contact.removed",
  contact_deleted: "contact.removed",
  bounced: "contact.removed",
};

describe("exitContact", () => {
  it.each(EXIT_REASONS)("%s: ends the live enrollment with the reason, a timestamp, a log event and its cancel event", async (reason) => {
    const sequence = await makeSequence(db);
    const contact = await enrolledContact([sequence.id]);

    const { exited } = await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason });

    expect(exited).toHaveLength(1);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment).toMatchObject({ status: reason, exitReason: reason, nextStepDueAt: null });
    expect(enrollment.exitedAt).toBeInstanceOf(Date);
    const log = await db.enrollmentEvent.findFirstOrThrow({ where: { contactId: contact.id, type: "exited" } });
    expect(log).toMatchObject({ reason, enrollmentId: enrollment.id, sequenceId: sequence.id });
    expect(events.sent.map((e) => e.name)).toEqual(EXPECTED_EVENT[reason] ? [EXPECTED_EVENT[reason]] : []);
  });

  it("is idempotent: a second call changes nothing and sends nothing", async () => {
    const sequence = await makeSequence(db);
    const contact = await enrolledContact([sequence.id]);
    await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "removed" });
    const before = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    events.sent.length = 0;

    const again = await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "opted_out" });

    expect(again.exited).toEqual([]);
    const after = await db.enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(after).toEqual(before);
    expect(await db.enrollmentEvent.count({ where: { type: "exited" } })).toBe(1);
    expect(events.sent).toEqual([]);
  });

  it("without a sequence ends every live enrollment of the contact, and only theirs", async () => {
    const [a, b] = [await makeSequence(db), await makeSequence(db)];
    const contact = await enrolledContact([a.id, b.id]);
    const bystander = await enrolledContact([a.id]);

    const { exited } = await exitContact(db, { contactId: contact.id, reason: "opted_out" });

    expect(exited.map((e) => e.sequenceId).sort()).toEqual([a.id, b.id].sort());
    expect(await db.enrollment.count({ where: { contactId: contact.id, status: "opted_out" } })).toBe(2);
    expect(await db.enrollment.count({ where: { contactId: bystander.id, status: "active" } })).toBe(1);
    expect(events.sent).toEqual([{ name: "contact.opted_out", data: { contactId: contact.id } }]);
  });

  it("replied ends only sequences that exit on reply", async () => {
    const exits = await makeSequence(db, { exitOnReply: true });
    const keepsGoing = await makeSequence(db, { exitOnReply: false });
    const contact = await enrolledContact([exits.id, keepsGoing.id]);

    const { exited } = await exitContact(db, { contactId: contact.id, reason: "replied" });

    expect(exited.map((e) => e.sequenceId)).toEqual([exits.id]);
    const statuses = await db.enrollment.findMany({ where: { contactId: contact.id }, select: { sequenceId: true, status: true } });
    expect(statuses).toEqual(
      expect.arrayContaining([
        { sequenceId: exits.id, status: "replied" },
        { sequenceId: keepsGoing.id, status: "active" },
      ]),
    );
  });

  it("ends paused enrollments too", async () => {
    const sequence = await makeSequence(db);
    const contact = await enrolledContact([sequence.id]);
    await db.enrollment.updateMany({ where: { contactId: contact.id }, data: { status: "paused" } });
    const { exited } = await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "removed" });
    expect(exited).toHaveLength(1);
    expect(await db.enrollment.count({ where: { contactId: contact.id, status: "removed" } })).toBe(1);
  });

  it("rejects an unknown reason and writes nothing", async () => {
    const sequence = await makeSequence(db);
    const contact = await enrolledContact([sequence.id]);
    await expect(exitContact(db, { contactId: contact.id, reason: "bored" as TExitReason })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { reason: expect.any(Array) },
    } satisfies Partial<AppError>);
    expect(await db.enrollment.count({ where: { status: "active" } })).toBe(1);
  });

  it("the event log is append-only", async () => {
    const sequence = await makeSequence(db);
    const contact = await enrolledContact([sequence.id]);
    await expect(db.enrollmentEvent.deleteMany({ where: { contactId: contact.id } })).rejects.toThrow(/append-only/);
    await expect(db.enrollmentEvent.updateMany({ data: { reason: "rewritten" } })).rejects.toThrow(/append-only/);
  });
});
