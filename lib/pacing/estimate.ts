/** How long a batch of due sends takes to go out under a daily cap and a send rate. Pure. */
import { slotSpacingMs } from "./rate";

export interface DrainInput {
  /** Sends due now (e.g. contacts waiting when a sequence resumes). */
  due: number;
  /** The sequence's daily cap, or null. */
  dailyCap: number | null;
  /** Sends already claimed today under that cap. */
  sentToday: number;
  /** The per-sender rate, or null. */
  ratePerMinute: number | null;
}

export interface DrainEstimate {
  due: number;
  /** How many go out today (the rest wait for later days' caps). */
  today: number;
  /** Local days with sends (today counted only if some go out today; 1 with no cap). */
  days: number;
  /** Milliseconds the rate spreads the largest day's sends over (0 with no rate). */
  spreadMs: number;
}

/**
 * Today gets what is left of the cap; each later day a full cap. Within a
 * day, the rate spaces sends one spacing apart. Schedule windows are not
 * counted here: a day's sends start when its window opens.
 */
export function estimateDrain({ due, dailyCap, sentToday, ratePerMinute }: DrainInput): DrainEstimate {
  const count = Math.max(0, Math.floor(due));
  const today = dailyCap === null ? count : Math.min(count, Math.max(0, dailyCap - sentToday));
  const later = count - today;
  const days = count === 0 ? 0 : dailyCap === null ? 1 : (today > 0 ? 1 : 0) + Math.ceil(later / dailyCap);
  const busiest = dailyCap === null ? count : Math.max(today, Math.min(later, dailyCap));
  const spreadMs = ratePerMinute === null || busiest <= 1 ? 0 : (busiest - 1) * slotSpacingMs(ratePerMinute);
  return { due: count, today, days, spreadMs };
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

function duration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return plural(Math.max(1, minutes), "minute", "minutes");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, "hour", "hours") : `${plural(hours, "hour", "hours")} ${plural(rest, "minute", "minutes")}`;
}

/** The estimate in plain words, for the Resume confirmation. */
export function describeDrain(estimate: DrainEstimate, limits: { dailyCap: number | null; ratePerMinute: number | null }): string {
  const { due, today, days, spreadMs } = estimate;
  if (due === 0) return "No contact is due now: each continues at their planned time.";
  const head = `${plural(due, "contact is", "contacts are")} due`;
  const parts: string[] = [];
  if (limits.dailyCap === null) {
    parts.push(`${head}: they go out as soon as the sending schedule allows`);
  } else if (days === 1) {
    parts.push(`${head}: all within today's cap of ${limits.dailyCap.toLocaleString("en")}`);
  } else {
    const start = today > 0 ? `${today.toLocaleString("en")} today, then up to ${limits.dailyCap.toLocaleString("en")} a day` : `none today (the cap is reached), then up to ${limits.dailyCap.toLocaleString("en")} a day`;
    parts.push(`${head}: with a cap of ${limits.dailyCap.toLocaleString("en")} a day they go out over ${plural(days, "day", "days")} (${start})`);
  }
  if (limits.ratePerMinute !== null && spreadMs > 0) {
    parts.push(`at most ${limits.ratePerMinute.toLocaleString("en")} a minute, a day's sends take about ${duration(spreadMs)}`);
  }
  return `${parts.join("; ")}.`;
}
