/**
 * markBouncedMany: a batch of bounces (the mailbox reader's) recorded in one
 * transaction, each exactly as markBounced records one, on the real database.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { markBounced, markBouncedMany } from "../../lib/contacts/bounce";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();
const events = recordEvents();

beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
});

async function enrolledContact(sequenceIds: string[]) {
  const contact = await makeContact(db);
  for (const sequenceId of sequenceIds) {
    const enrolled = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
    if (enrolled.outcome !== "enrolled") throw new Error(enrolled.outcome);
  }
  return contact;
}

describe("markBouncedMany", () => {
  it("bounces each address once, in the order given: unknown, already bounced and repeated addresses change nothing more", async () => {
    const [one, two] = [await makeSequence(db), await makeSequence(db)];
    const hard = await enrolledContact([one.id, two.id]);
    const complaint = await enrolledContact([one.id]);
    const earlier = await enrolledContact([two.id]);
    await markBounced(db, { email: earlier.email, kind: "hard" });
    events.sent.length = 0;

    const outcomes = await markBouncedMany(db, [
      { email: hard.email.toUpperCase(), kind: "hard", detail: "550 5.1.1 no such user" },
      { email: "nobody@example.com", kind: "hard" },
      { email: complaint.email, kind: "complaint" },
      { email: hard.email, kind: "hard" },
      { email: earlier.email, kind: "hard" },
    ]);

    expect(outcomes.map((o) => o.outcome)).toEqual(["bounced", "no_contact", "bounced", "already_bounced", "already_bounced"]);
    expect(outcomes[0].exited).toHaveLength(2);
    expect(outcomes[2].exited).toHaveLength(1);
    expect(outcomes[3].exited).toEqual([]);

    for (const contact of [hard, complaint]) {
      expect(await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ status: "bounced" });
      expect(await db.enrollment.findMany({ where: { contactId: contact.id }, select: { status: true, exitReason: true } })).toEqual(
        expect.arrayContaining([{ status: "bounced", exitReason: "bounced" }]),
      );
      expect(await db.enrollment.count({ where: { contactId: contact.id, status: { in: ["active", "paused"] } } })).toBe(0);
    }
    expect(await db.consentEvent.findMany({ where: { contactId: hard.id }, select: { type: true, detail: true } })).toEqual([{ type: "bounced", detail: "550 5.1.1 no such user" }]);
    expect(await db.consentEvent.findMany({ where: { contactId: complaint.id }, select: { type: true } })).toEqual([{ type: "complained" }]);
    expect(await db.consentEvent.count({ where: { contactId: earlier.id } })).toBe(1);
    expect(await db.enrollmentEvent.findMany({ where: { contactId: hard.id, type: "exited" }, select: { reason: true, data: true } })).toEqual([
      { reason: "bounced", data: { detail: "hard bounce" } },
      { reason: "bounced", data: { detail: "hard bounce" } },
    ]);
    expect(await db.enrollmentEvent.findMany({ where: { contactId: complaint.id, type: "exited" }, select: { data: true } })).toEqual([{ data: { detail: "spam complaint" } }]);
    // One cancel event per bounced contact's exit; none for the rest.
    expect(new Set(events.sent.map((e) => (e.data as { contactId: string }).contactId))).toEqual(new Set([hard.id, complaint.id]));
  });

  it("a batch with nothing to bounce writes nothing", async () => {
    const gone = await makeContact(db, { deletedAt: new Date() });
    expect((await markBouncedMany(db, [{ email: gone.email, kind: "hard" }])).map((o) => o.outcome)).toEqual(["no_contact"]);
    expect(await db.consentEvent.count()).toBe(0);
    expect(events.sent).toEqual([]);
  });
});
