/**
 * Pacing through real runs on the local executor with the clock advanced:
 * a paused sequence with a daily cap, resumed with everyone due, sends at most
 * its cap per day (in the sequence's zone), inside the window, each contact once,
 * the rest recorded as held (not skipped).
 */
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../../lib/db/client";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { pauseSequence, resumeSequence } from "../../lib/sequences/status-transitions";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = "Europe/Berlin";

let h: Harness;
const db = () => getDb();

beforeEach(async () => {
  // Monday 12 January 2026, 07:00 UTC (08:00 in Berlin).
  h = await startHarness({ start: Date.UTC(2026, 0, 12, 7, 0) });
  await resetDb(db());
  await db().caughtMessage.deleteMany();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await h.stop();
});

const berlin = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(ZONE);

describe("a daily cap", () => {
  it("a paused then resumed sequence with a cap of 10/day sends 10 per day", async () => {
    const sequence = await makeSequence(db(), { steps: [{ subject: "Paced", delayAmount: 1, delayUnit: "days" }] });
    await db().sequence.update({
      where: { id: sequence.id },
      data: { schedule: { days: [1, 2, 3, 4, 5], window: { start: "09:00", end: "17:00" }, holidayCountry: null }, timezone: ZONE, dailyCap: 10 },
    });
    const contacts = await Promise.all(Array.from({ length: 25 }, () => makeContact(db(), { timezone: ZONE })));
    for (const c of contacts) await enrollContact(db(), { contactId: c.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();
    await pauseSequence(db(), { sequenceId: sequence.id });
    // Thursday 10:00 in Berlin: everyone has been due since Tuesday 09:00.
    await h.executor.advance(3 * DAY + 2 * HOUR);
    expect(await db().caughtMessage.count()).toBe(0);

    await resumeSequence(db(), { sequenceId: sequence.id });
    await h.executor.runUntilIdle();
    await h.executor.advance(7 * DAY);

    const messages = await db().caughtMessage.findMany({ orderBy: { createdAt: "asc" } });
    expect(new Set(messages.map((m) => m.toAddress)).size).toBe(25);
    expect(messages).toHaveLength(25);
    const perDay = new Map<string, number>();
    for (const m of messages) {
      const t = berlin(m.createdAt);
      expect(t.hour >= 9 && (t.hour < 17 || (t.hour === 17 && t.minute === 0)), m.createdAt.toISOString()).toBe(true);
      perDay.set(t.toPlainDate().toString(), (perDay.get(t.toPlainDate().toString()) ?? 0) + 1);
    }
    // Thursday, Friday, then Monday (the weekend is not a sending day).
    expect(Object.fromEntries(perDay)).toEqual({ "2026-01-15": 10, "2026-01-16": 10, "2026-01-19": 5 });

    // Held, not skipped: 15 on Thursday, the 5 left on Friday, each recorded once per hold.
    const held = await db().enrollmentEvent.findMany({ where: { type: "step_held", reason: "daily_cap" } });
    expect(held).toHaveLength(20);
    expect(await db().enrollmentEvent.count({ where: { type: "step_skipped" } })).toBe(0);
    expect(await db().stepSend.count({ where: { status: "sent" } })).toBe(25);
  });
});

describe("a per-sender rate", () => {
  it("spaces a burst of due sends one slot apart, each once, through real runs", async () => {
    vi.stubEnv("STEPWISE_SEND_RATE_PER_MINUTE", "6"); // one send every 10 s
    const sequence = await makeSequence(db(), { steps: [{ subject: "Now", delayAmount: 0, delayUnit: "minutes" }] });
    const contacts = await Promise.all(Array.from({ length: 5 }, () => makeContact(db())));
    for (const c of contacts) await enrollContact(db(), { contactId: c.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();
    await h.executor.advance(10 * 60_000);

    const messages = await db().caughtMessage.findMany({ orderBy: { createdAt: "asc" } });
    expect(new Set(messages.map((m) => m.toAddress)).size).toBe(5);
    expect(messages).toHaveLength(5);
    for (let i = 1; i < messages.length; i++) {
      expect(messages[i].createdAt.getTime() - messages[i - 1].createdAt.getTime(), `gap before message ${i}`).toBeGreaterThanOrEqual(10_000);
    }
    // The first went at once; the other four were held for their slots.
    expect(await db().enrollmentEvent.count({ where: { type: "step_held", reason: "send_rate" } })).toBe(4);
    expect(await db().enrollment.count({ where: { sendSlotAt: { not: null } } })).toBe(0);
  });
});
