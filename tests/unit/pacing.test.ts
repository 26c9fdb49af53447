/** The pacing arithmetic: send slots, the resume estimate, and local days for the cap. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeDrain, estimateDrain } from "../../lib/pacing/estimate";
import { nextSlot, sendRatePerMinute, slotSpacingMs } from "../../lib/pacing/rate";
import { localDay, startOfNextLocalDay } from "../../lib/schedule/day";

const at = (iso: string) => new Date(iso);

describe("send slots", () => {
  it("the first slot is now; later ones one spacing apart, never before now", () => {
    const now = at("2026-03-02T09:00:00Z");
    expect(nextSlot(now, null, 60)).toEqual(now);
    expect(nextSlot(now, at("2026-03-02T09:00:00Z"), 60)).toEqual(at("2026-03-02T09:00:01Z"));
    expect(nextSlot(now, at("2026-03-02T09:05:00Z"), 2)).toEqual(at("2026-03-02T09:05:30Z"));
    // An old last slot: the rate does not owe anyone a burst, but does not delay either.
    expect(nextSlot(now, at("2026-03-01T09:00:00Z"), 60)).toEqual(now);
  });

  it("spacing is 60 s / rate, rounded up to whole milliseconds", () => {
    expect(slotSpacingMs(60)).toBe(1000);
    expect(slotSpacingMs(7)).toBe(8572);
    expect(slotSpacingMs(1_000_000)).toBe(1);
  });

  it("property: handing out slots in turn never puts two closer than the spacing, nor one before its request", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 50 }), (rate, gaps) => {
        let now = Date.UTC(2026, 0, 1);
        let last: Date | null = null;
        for (const gap of gaps) {
          now += gap;
          const slot = nextSlot(new Date(now), last, rate);
          expect(slot.getTime()).toBeGreaterThanOrEqual(now);
          if (last) expect(slot.getTime() - last.getTime()).toBeGreaterThanOrEqual(slotSpacingMs(rate));
          last = slot;
        }
      }),
    );
  });

  it("the rate comes from STEPWISE_SEND_RATE_PER_MINUTE; anything but a positive number means no limit", () => {
    expect(sendRatePerMinute({})).toBeNull();
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: "" })).toBeNull();
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: "0" })).toBeNull();
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: "-5" })).toBeNull();
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: "lots" })).toBeNull();
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: " 30 " })).toBe(30);
    expect(sendRatePerMinute({ STEPWISE_SEND_RATE_PER_MINUTE: "0.5" })).toBe(0.5);
  });
});

describe("the resume estimate", () => {
  it("42 due, a cap of 10 with 4 already sent today: 6 today, then 10 a day over 5 days", () => {
    const e = estimateDrain({ due: 42, dailyCap: 10, sentToday: 4, ratePerMinute: null });
    expect(e).toEqual({ due: 42, today: 6, days: 5, spreadMs: 0 });
    expect(describeDrain(e, { dailyCap: 10, ratePerMinute: null })).toBe("42 contacts are due: with a cap of 10 a day they go out over 5 days (6 today, then up to 10 a day).");
  });

  it("the cap already reached today: nothing today, the rest from tomorrow", () => {
    expect(estimateDrain({ due: 20, dailyCap: 10, sentToday: 10, ratePerMinute: null })).toEqual({ due: 20, today: 0, days: 2, spreadMs: 0 });
    expect(estimateDrain({ due: 20, dailyCap: 10, sentToday: 12, ratePerMinute: null }).today).toBe(0);
  });

  it("no cap: one day; the rate spreads the day's sends", () => {
    const e = estimateDrain({ due: 121, dailyCap: null, sentToday: 0, ratePerMinute: 60 });
    expect(e).toEqual({ due: 121, today: 121, days: 1, spreadMs: 120_000 });
    expect(describeDrain(e, { dailyCap: null, ratePerMinute: 60 })).toBe(
      "121 contacts are due: they go out as soon as the sending schedule allows; at most 60 a minute, a day's sends take about 2 minutes.",
    );
  });

  it("within today's cap, and nothing due", () => {
    expect(describeDrain(estimateDrain({ due: 1, dailyCap: 10, sentToday: 0, ratePerMinute: null }), { dailyCap: 10, ratePerMinute: null })).toBe(
      "1 contact is due: all within today's cap of 10.",
    );
    expect(describeDrain(estimateDrain({ due: 0, dailyCap: 10, sentToday: 0, ratePerMinute: 5 }), { dailyCap: 10, ratePerMinute: 5 })).toBe(
      "No contact is due now: each continues at their planned time.",
    );
  });

  it("property: the days times the cap cover everything due, and one day fewer would not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 600 }), (due, cap, sentToday) => {
        const e = estimateDrain({ due, dailyCap: cap, sentToday, ratePerMinute: null });
        expect(e.today).toBeLessThanOrEqual(Math.max(0, cap - sentToday));
        const capacity = (days: number) => (e.today > 0 ? e.today + (days - 1) * cap : days * cap);
        expect(capacity(e.days)).toBeGreaterThanOrEqual(due);
        if (e.days > 0) expect(capacity(e.days - 1)).toBeLessThan(due);
      }),
    );
  });
});

describe("the cap's local day", () => {
  it("is the date in the sequence's zone, not in UTC", () => {
    expect(localDay(at("2026-01-15T23:30:00Z"), "Europe/Berlin")).toBe("2026-01-16");
    expect(localDay(at("2026-01-15T23:30:00Z"), "America/New_York")).toBe("2026-01-15");
    expect(localDay(at("2026-01-15T18:30:00Z"), "Asia/Kathmandu")).toBe("2026-01-16"); // 00:15 +05:45
  });

  it("the next day starts at local midnight, across DST changes, and where midnight does not exist", () => {
    // Berlin springs forward on 29 March 2026 (at 02:00): that day still starts at 00:00 CET.
    expect(startOfNextLocalDay(at("2026-03-28T12:00:00Z"), "Europe/Berlin")).toEqual(at("2026-03-28T23:00:00Z"));
    // And the next at 00:00 CEST.
    expect(startOfNextLocalDay(at("2026-03-29T12:00:00Z"), "Europe/Berlin")).toEqual(at("2026-03-29T22:00:00Z"));
    // Santiago jumps from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00 (-03).
    expect(startOfNextLocalDay(at("2026-09-05T15:00:00Z"), "America/Santiago")).toEqual(at("2026-09-06T04:00:00Z"));
  });
});

describe("a held step on the timeline", () => {
  it("says the daily cap held it, and from when it sends, as held, not skipped", async () => {
    const { describeTimelineEvent } = await import("../../lib/contacts/timeline");
    const event = { type: "step_held" as const, reason: "daily_cap", data: { until: "2026-01-16T08:00:00.000Z" }, sequenceName: "Trial", trigger: null, step: { number: 1, subject: "Hi" } };
    const { sentence, detail, tone } = describeTimelineEvent(event as Parameters<typeof describeTimelineEvent>[0]);
    expect(sentence).toMatch(/held: daily cap reached$/);
    expect(detail).toBe("Sends from 2026-01-16T08:00:00.000Z");
    expect(tone).toBe("neutral");
    const rate = describeTimelineEvent({ ...event, reason: "send_rate" } as Parameters<typeof describeTimelineEvent>[0]);
    expect(rate.sentence).toMatch(/held: sending rate limit$/);
  });
});
