import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { signUp } from "../../lib/contacts/signup";
import { adjustLeadScore, setLeadScore } from "../../lib/contacts/score";
import { addTags, removeTags } from "../../lib/contacts/tags";
import { upsertContact } from "../../lib/contacts/upsert";
import { exitContact } from "../../lib/sequences/exit-contact";
import { fireScoreTriggers } from "../../lib/triggers/fire";
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

const enrollmentsOf = (contactId: string, sequenceId?: string) =>
  db.enrollment.findMany({ where: { contactId, ...(sequenceId ? { sequenceId } : {}) }, orderBy: { enrolledAt: "asc" } });
const liveCount = (sequenceId: string) => db.enrollment.count({ where: { sequenceId, status: { in: ["active", "paused"] } } });

async function tagTriggeredSequence(tagName: string, data: Parameters<typeof makeSequence>[1] = {}) {
  const tag = await db.tag.upsert({ where: { name: tagName }, create: { name: tagName }, update: {} });
  const sequence = await makeSequence(db, data);
  const trigger = await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: tag.id } });
  return { tag, sequence, trigger };
}

async function scoreTriggeredSequence(threshold: number, data: Parameters<typeof makeSequence>[1] = {}) {
  const sequence = await makeSequence(db, data);
  const trigger = await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "score_threshold", scoreThreshold: threshold } });
  return { sequence, trigger };
}

describe("tag_added", () => {
  it("enrolls once through enrollContact, recording the trigger; adding the tag again does nothing", async () => {
    const { sequence, trigger } = await tagTriggeredSequence("vip");
    const contact = await makeContact(db);

    const first = await addTags(db, { contactIds: [contact.id], tagNames: ["VIP "], source: "admin" });
    expect(first.added).toBe(1);
    expect(first.triggers).toEqual({ enrolled: 1, alreadyEnrolled: 0, refused: 0 });
    // Matched case-insensitively: no second tag was created.
    expect(await db.tag.count()).toBe(1);

    const second = await addTags(db, { contactIds: [contact.id], tagNames: ["vip"], source: "admin" });
    expect(second.added).toBe(0);
    expect(second.triggers).toEqual({ enrolled: 0, alreadyEnrolled: 0, refused: 0 });

    const enrollments = await enrollmentsOf(contact.id);
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({ sequenceId: sequence.id, source: "trigger:tag_added", triggerId: trigger.id, status: "active" });
    expect(events.sent.filter((e) => e.name === "stepwise/enrollment.started")).toHaveLength(1);
  });

  it("the same tag added 10 times concurrently enrolls exactly once", async () => {
    const { sequence } = await tagTriggeredSequence("webinar");
    const contact = await makeContact(db);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => addTags(db, { contactIds: [contact.id], tagNames: ["webinar"], source: "api" })),
    );

    expect(results.reduce((n, r) => n + r.added, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.triggers.enrolled, 0)).toBe(1);
    // Only the call that inserted the link fired: no duplicate attempts at all.
    expect(results.reduce((n, r) => n + r.triggers.alreadyEnrolled + r.triggers.refused, 0)).toBe(0);
    expect(await liveCount(sequence.id)).toBe(1);
    expect(await db.contactTag.count()).toBe(1);
    expect(await db.enrollmentEvent.count({ where: { type: "enrolled" } })).toBe(1);
  });

  it("concurrent creators of the same new tag in different cases make one tag", async () => {
    const contacts = await Promise.all([makeContact(db), makeContact(db), makeContact(db)]);
    await Promise.all(contacts.map((c, i) => addTags(db, { contactIds: [c.id], tagNames: [["Lead", "lead", "LEAD"][i]], source: "admin" })));
    expect(await db.tag.count()).toBe(1);
    expect(await db.contactTag.count()).toBe(3);
  });

  it("tagging many contacts at once enrolls each once (set-based path), refusing unmailable contacts", async () => {
    const { sequence } = await tagTriggeredSequence("imported");
    const subscribed = await Promise.all(Array.from({ length: 40 }, () => makeContact(db)));
    const unsubscribed = await makeContact(db, { status: "unsubscribed" });
    const deleted = await makeContact(db, { deletedAt: new Date() });
    const ids = [...subscribed, unsubscribed, deleted].map((c) => c.id);

    const result = await addTags(db, { contactIds: ids, tagNames: ["imported"], source: "import" });

    // The deleted contact is not tagged at all; the unsubscribed one is tagged but refused.
    expect(result.added).toBe(41);
    expect(result.triggers).toEqual({ enrolled: 40, alreadyEnrolled: 0, refused: 1 });
    expect(await liveCount(sequence.id)).toBe(40);
    expect(await db.enrollment.count({ where: { contactId: unsubscribed.id } })).toBe(0);
    expect(await db.enrollmentEvent.findFirst({ where: { contactId: unsubscribed.id } })).toMatchObject({
      type: "enrollment_refused",
      reason: "contact_unsubscribed",
    });
    // The 40 enrollments of one sequence start as a cohort: one run for all, each member once.
    const live = await db.enrollment.findMany({ where: { sequenceId: sequence.id, status: "active" }, select: { id: true } });
    expect(startedEnrollmentIds(events.sent).sort()).toEqual(live.map((e) => e.id).sort());
    expect(events.sent.filter((e) => e.name === "stepwise/enrollments.started")).toHaveLength(1);

    const again = await addTags(db, { contactIds: ids, tagNames: ["imported"], source: "import" });
    expect(again).toMatchObject({ added: 0, triggers: { enrolled: 0, alreadyEnrolled: 0, refused: 0 } });
  });

  it("fireTriggers: false tags without enrolling", async () => {
    const { sequence } = await tagTriggeredSequence("quiet");
    const contact = await makeContact(db);
    const result = await addTags(db, { contactIds: [contact.id], tagNames: ["quiet"], source: "import", fireTriggers: false });
    expect(result.added).toBe(1);
    expect(await liveCount(sequence.id)).toBe(0);
  });

  it.each(["draft", "paused", "archived"] as const)("a %s sequence's trigger does not fire (and logs nothing)", async (status) => {
    const { sequence } = await tagTriggeredSequence("vip", { status });
    const contact = await makeContact(db);
    const result = await addTags(db, { contactIds: [contact.id], tagNames: ["vip"], source: "admin" });
    expect(result.added).toBe(1);
    expect(result.triggers).toEqual({ enrolled: 0, alreadyEnrolled: 0, refused: 0 });
    expect(await db.enrollment.count({ where: { sequenceId: sequence.id } })).toBe(0);
    expect(await db.enrollmentEvent.count()).toBe(0);
  });

  it("removing and re-adding a tag fires again, and re-entry policy decides", async () => {
    const never = await tagTriggeredSequence("trial", { reentryPolicy: "never" });
    const afterExit = await makeSequence(db, { reentryPolicy: "after_exit" });
    await db.sequenceTrigger.create({ data: { sequenceId: afterExit.id, type: "tag_added", tagId: never.tag.id } });
    const contact = await makeContact(db);

    await addTags(db, { contactIds: [contact.id], tagNames: ["trial"], source: "admin" });
    await exitContact(db, { contactId: contact.id, reason: "removed" });
    expect(await removeTags(db, { contactIds: [contact.id], tagNames: ["TRIAL"] })).toEqual({ removed: 1 });
    const readded = await addTags(db, { contactIds: [contact.id], tagNames: ["trial"], source: "admin" });

    expect(readded.triggers).toEqual({ enrolled: 1, alreadyEnrolled: 0, refused: 1 });
    expect(await enrollmentsOf(contact.id, never.sequence.id)).toHaveLength(1);
    expect(await enrollmentsOf(contact.id, afterExit.id)).toHaveLength(2);
  });
});

describe("score_threshold", () => {
  it("enrolls when the score rises to the threshold; staying above does not re-enroll", async () => {
    const { sequence, trigger } = await scoreTriggeredSequence(50);
    const contact = await makeContact(db);

    expect(await setLeadScore(db, { contactId: contact.id, score: 49, source: "admin" })).toMatchObject({ previous: 0, next: 49, triggers: { enrolled: 0 } });
    expect(await setLeadScore(db, { contactId: contact.id, score: 50, source: "admin" })).toMatchObject({ previous: 49, next: 50, triggers: { enrolled: 1 } });
    expect(await setLeadScore(db, { contactId: contact.id, score: 80, source: "admin" })).toMatchObject({ triggers: { enrolled: 0, alreadyEnrolled: 0, refused: 0 } });
    expect(await adjustLeadScore(db, { contactId: contact.id, delta: 5, source: "api" })).toMatchObject({ previous: 80, next: 85, triggers: { enrolled: 0, alreadyEnrolled: 0 } });
    expect(await setLeadScore(db, { contactId: contact.id, score: 85, source: "admin" })).toMatchObject({ triggers: { enrolled: 0, alreadyEnrolled: 0 } });

    const enrollments = await enrollmentsOf(contact.id);
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({ sequenceId: sequence.id, source: "trigger:score_threshold", triggerId: trigger.id });
  });

  it("a drop and re-cross while still enrolled reports already enrolled, never a second place", async () => {
    const { sequence } = await scoreTriggeredSequence(50, { reentryPolicy: "after_exit" });
    const contact = await makeContact(db);
    await setLeadScore(db, { contactId: contact.id, score: 60, source: "admin" });
    await setLeadScore(db, { contactId: contact.id, score: 10, source: "admin" });
    const recross = await setLeadScore(db, { contactId: contact.id, score: 70, source: "admin" });
    expect(recross.triggers).toEqual({ enrolled: 0, alreadyEnrolled: 1, refused: 0 });
    expect(await liveCount(sequence.id)).toBe(1);
  });

  it.each([
    ["never", "refused"],
    ["after_exit", "enrolled"],
  ] as const)("a drop and re-cross after an exit, re-entry %s: %s", async (policy, expected) => {
    const { sequence } = await scoreTriggeredSequence(50, { reentryPolicy: policy });
    const contact = await makeContact(db);
    await setLeadScore(db, { contactId: contact.id, score: 60, source: "admin" });
    await exitContact(db, { contactId: contact.id, sequenceId: sequence.id, reason: "completed" });
    await adjustLeadScore(db, { contactId: contact.id, delta: -50, source: "admin" });

    const recross = await adjustLeadScore(db, { contactId: contact.id, delta: 40, source: "admin" });

    expect(recross).toMatchObject({ previous: 10, next: 50 });
    expect(recross.triggers).toEqual(expected === "enrolled" ? { enrolled: 1, alreadyEnrolled: 0, refused: 0 } : { enrolled: 0, alreadyEnrolled: 0, refused: 1 });
    expect(await enrollmentsOf(contact.id)).toHaveLength(expected === "enrolled" ? 2 : 1);
  });

  it("10 concurrent increments cross the threshold exactly once", async () => {
    const { sequence } = await scoreTriggeredSequence(50);
    const contact = await makeContact(db);

    const changes = await Promise.all(Array.from({ length: 10 }, () => adjustLeadScore(db, { contactId: contact.id, delta: 10, source: "api" })));

    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).leadScore).toBe(100);
    // The updates were serialized: the old scores are 0, 10, ..., 90, each seen once.
    expect(changes.map((c) => c.previous).sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(changes.reduce((n, c) => n + c.triggers.enrolled, 0)).toBe(1);
    expect(changes.reduce((n, c) => n + c.triggers.alreadyEnrolled + c.triggers.refused, 0)).toBe(0);
    expect(await liveCount(sequence.id)).toBe(1);
  });

  it("one jump crosses several thresholds; a paused sequence's threshold does not fire", async () => {
    const low = await scoreTriggeredSequence(20);
    const high = await scoreTriggeredSequence(90);
    const above = await scoreTriggeredSequence(101);
    const paused = await scoreTriggeredSequence(30, { status: "paused" });
    const contact = await makeContact(db);

    const change = await setLeadScore(db, { contactId: contact.id, score: 100, source: "admin" });

    expect(change.triggers).toEqual({ enrolled: 2, alreadyEnrolled: 0, refused: 0 });
    const sequences = (await enrollmentsOf(contact.id)).map((e) => e.sequenceId).sort();
    expect(sequences).toEqual([low.sequence.id, high.sequence.id].sort());
    expect(await db.enrollment.count({ where: { sequenceId: { in: [above.sequence.id, paused.sequence.id] } } })).toBe(0);
  });

  it("a score update never crossing downward fires nothing (fireScoreTriggers rules)", async () => {
    await scoreTriggeredSequence(50);
    const contact = await makeContact(db);
    expect(await fireScoreTriggers(db, { contactId: contact.id, previous: 60, next: 40 })).toEqual({ enrolled: 0, alreadyEnrolled: 0, refused: 0 });
    expect(await fireScoreTriggers(db, { contactId: contact.id, previous: 50, next: 70 })).toEqual({ enrolled: 0, alreadyEnrolled: 0, refused: 0 });
    expect(await db.enrollment.count()).toBe(0);
  });

  it("refuses to score a deleted contact", async () => {
    const contact = await makeContact(db, { deletedAt: new Date() });
    await expect(setLeadScore(db, { contactId: contact.id, score: 5, source: "admin" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("signup", () => {
  it("fires only triggers whose source filter matches (case-insensitively); none means any", async () => {
    const any = await makeSequence(db);
    await db.sequenceTrigger.create({ data: { sequenceId: any.id, type: "signup" } });
    const webinar = await makeSequence(db);
    await db.sequenceTrigger.create({ data: { sequenceId: webinar.id, type: "signup", signupSource: "webinar" } });
    const draft = await makeSequence(db, { status: "draft" });
    await db.sequenceTrigger.create({ data: { sequenceId: draft.id, type: "signup" } });

    await signUp(db, { email: "Web@Example.com", source: "Webinar" });
    await signUp(db, { email: "news@example.com", source: "newsletter" });
    await signUp(db, { email: "plain@example.com" });

    const enrolledIn = async (email: string) => {
      const contact = await db.contact.findUniqueOrThrow({ where: { email } });
      return (await enrollmentsOf(contact.id)).map((e) => e.sequenceId).sort();
    };
    expect(await enrolledIn("web@example.com")).toEqual([any.id, webinar.id].sort());
    expect(await enrolledIn("news@example.com")).toEqual([any.id]);
    expect(await enrolledIn("plain@example.com")).toEqual([any.id]);
    expect(await db.enrollment.count({ where: { sequenceId: draft.id } })).toBe(0);
    expect(await db.enrollment.findFirst({ where: { sequenceId: webinar.id } })).toMatchObject({ source: "trigger:signup" });
  });
});

describe("upsertContact", () => {
  it("fires tag and score triggers exactly like addTags and setLeadScore; fireTriggers: false fires none", async () => {
    const tagged = await tagTriggeredSequence("customer");
    const scored = await scoreTriggeredSequence(10);

    const { contactId, created } = await upsertContact(db, { email: "Ada@Example.com", tags: ["Customer"], leadScore: 15 }, { source: "api" });
    expect(created).toBe(true);
    expect((await enrollmentsOf(contactId)).map((e) => e.sequenceId).sort()).toEqual([tagged.sequence.id, scored.sequence.id].sort());

    const again = await upsertContact(db, { email: "ada@example.com", tags: ["customer"], leadScore: 20 }, { source: "api" });
    expect(again).toEqual({ contactId, created: false });
    expect(await enrollmentsOf(contactId)).toHaveLength(2);

    const quiet = await upsertContact(db, { email: "quiet@example.com", tags: ["customer"], leadScore: 15 }, { source: "import", fireTriggers: false });
    expect(await enrollmentsOf(quiet.contactId)).toHaveLength(0);
  });
});
