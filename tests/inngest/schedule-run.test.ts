/**
 * Sending schedules through real runs on the local executor with the clock
 * advanced: due times come from planNextSend (lib/schedule) via the run's
 * planner, so a step waits for the window in the contact's zone.
 */
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { updateContactProfile } from "../../lib/contacts/profile";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";

const DAY = 86_400_000;
const WEEKDAYS_9_TO_17 = { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null };

let h: Harness;
const db = () => getDb();

beforeEach(async () => {
  // Friday 9 January 2026, 22:00 UTC (23:00 in Berlin).
  h = await startHarness({ start: Date.UTC(2026, 0, 9, 22, 0) });
  await resetDb(db());
  await db().caughtMessage.deleteMany();
});
afterEach(async () => {
  await h.stop();
});

async function scheduledSequence(steps: NonNullable<Parameters<typeof makeSequence>[1]>["steps"]) {
  const sequence = await makeSequence(db(), { steps });
  await db().sequence.update({ where: { id: sequence.id }, data: { schedule: WEEKDAYS_9_TO_17, timezone: "Europe/Berlin" } });
  return sequence;
}

function local(date: Date, zone: string) {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime()).toZonedDateTimeISO(zone);
}
function insideWindow(date: Date, zone: string): boolean {
  const t = local(date, zone);
  const minutes = t.hour * 60 + t.minute + t.second / 60 + t.millisecond / 60_000;
  return t.dayOfWeek <= 5 && minutes >= 9 * 60 && minutes <= 17 * 60;
}

describe("a sequence with a sending schedule", () => {
  it("a Friday-evening enrollment with a 1-business-day delay sends Monday, inside the window, once", async () => {
    const sequence = await scheduledSequence([{ subject: "Next business day", delayAmount: 1, delayUnit: "business_days" }]);
    const contact = await makeContact(db(), { timezone: "Europe/Berlin" });
    await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();
    await h.executor.advance(7 * DAY);

    const messages = await db().caughtMessage.findMany({ where: { toAddress: contact.email } });
    expect(messages).toHaveLength(1);
    const sent = local(messages[0].createdAt, "Europe/Berlin");
    expect(sent.toPlainDate().toString()).toBe("2026-01-12"); // Monday
    expect(insideWindow(messages[0].createdAt, "Europe/Berlin")).toBe(true);
    expect(await db().enrollmentEvent.count({ where: { contactId: contact.id, type: "step_skipped" } })).toBe(0);
  });

  it("every message lies inside its contact's window, in the contact's zone or (recorded) the sequence's", async () => {
    const sequence = await scheduledSequence([
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "business_days" },
      { subject: "Three", delayAmount: 5, delayUnit: "hours" },
    ]);
    const zones = ["America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia", "UTC"];
    const contacts = await Promise.all(zones.map((timezone) => makeContact(db(), { timezone })));
    for (const c of contacts) await enrollContact(db(), { contactId: c.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();
    await h.executor.advance(14 * DAY);

    for (const c of contacts) {
      // "UTC" is the column's default: no zone given, so the sequence's clock applies.
      const zone = c.timezone === "UTC" ? "Europe/Berlin" : c.timezone;
      const messages = await db().caughtMessage.findMany({ where: { toAddress: c.email }, orderBy: { createdAt: "asc" } });
      expect(messages.map((m) => m.subject)).toEqual(["One", "Two", "Three"]);
      for (const m of messages) expect(insideWindow(m.createdAt, zone), `${m.subject} to ${zone} at ${m.createdAt.toISOString()}`).toBe(true);
    }
    // Step one, due at once, was held wherever Friday 22:00 UTC is outside the window
    // (all but New York, where it is 17:00, the window's closed end): recorded as held, never as skipped.
    const start = new Date(Date.UTC(2026, 0, 9, 22, 0));
    const outside = contacts.filter((c) => !insideWindow(start, c.timezone === "UTC" ? "Europe/Berlin" : c.timezone));
    expect(outside).toHaveLength(4);
    const held = await db().enrollmentEvent.findMany({ where: { type: "step_held", stepId: sequence.steps[0].id } });
    expect(held.map((e) => e.contactId).sort()).toEqual(outside.map((c) => c.id).sort());
    expect(await db().enrollmentEvent.count({ where: { type: "step_skipped" } })).toBe(0);
    const fallback = await db().enrollmentEvent.findMany({ where: { type: "zone_fallback" } });
    expect(fallback.map((e) => [e.contactId, e.reason])).toEqual([[contacts[4].id, "missing"]]);
  });

  // A run waits for the due time planned after the last send; the zone is read
  // again when it wakes, since every wake plans again from the database. Nothing
  // else moves a waiting enrollment when a contact's zone changes.
  it("a contact who moves to another zone while a step waits gets it inside their new zone's window", async () => {
    const sequence = await scheduledSequence([
      { subject: "One", delayAmount: 0, delayUnit: "minutes" },
      { subject: "Two", delayAmount: 1, delayUnit: "business_days" },
    ]);
    const contact = await makeContact(db(), { timezone: "Europe/Berlin" });
    await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();
    // To Monday 22:00 UTC: "One" went at Monday 09:00 Berlin; "Two" waits for Tuesday 09:00 Berlin (08:00 UTC).
    await h.executor.advance(3 * DAY);
    const waiting = await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(waiting.nextStepDueAt?.toISOString()).toBe("2026-01-13T08:00:00.000Z");

    await updateContactProfile(db(), { contactId: contact.id, firstName: contact.firstName, lastName: contact.lastName, timezone: "America/New_York", attributes: {} });
    await h.executor.advance(3 * DAY);

    const messages = await db().caughtMessage.findMany({ where: { toAddress: contact.email }, orderBy: { createdAt: "asc" } });
    expect(messages.map((m) => m.subject)).toEqual(["One", "Two"]);
    // Tuesday 08:00 UTC is 03:00 in New York: held to 09:00 there (14:00 UTC).
    expect(messages[1].createdAt.toISOString()).toBe("2026-01-13T14:00:00.000Z");
    expect(insideWindow(messages[1].createdAt, "America/New_York")).toBe(true);
  });
});
