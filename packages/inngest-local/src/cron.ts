/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week) with `*`,
 * lists, ranges, steps, month/day names and the @hourly/@daily/... macros.
 * A `TZ=Zone ` prefix is accepted and ignored: schedules are computed in UTC.
 */

interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  // Classic cron: when both day fields are restricted, either may match.
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function parseValue(token: string, names: string[] | undefined, offset: number): number {
  const upper = token.toUpperCase();
  const named = names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(token)) throw new Error(`invalid cron value "${token}"`);
  return Number(token);
}

function parseField(field: string, min: number, max: number, names?: string[], nameOffset = 0): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/");
    const step = stepPart === undefined ? 1 : Number(stepPart);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid cron step in "${part}"`);
    let start: number;
    let end: number;
    if (rangePart === "*") {
      start = min;
      end = max;
    } else if (rangePart.includes("-")) {
      const [a, b] = rangePart.split("-");
      start = parseValue(a, names, nameOffset);
      end = parseValue(b, names, nameOffset);
    } else {
      start = parseValue(rangePart, names, nameOffset);
      // "5/15" means from 5 to the max, every 15.
      end = stepPart === undefined ? start : max;
    }
    if (start < min || end > max || start > end) throw new Error(`cron field "${part}" out of range ${min}-${max}`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  let text = expression.trim().replace(/^(CRON_)?TZ=\S+\s+/, "");
  text = MACROS[text.toLowerCase()] ?? text;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${expression}" must have 5 fields`);
  const [min, hour, dom, month, dow] = fields;
  const daysOfWeek = parseField(dow, 0, 7, DAY_NAMES);
  if (daysOfWeek.has(7)) daysOfWeek.add(0); // 7 is Sunday too
  return {
    minutes: parseField(min, 0, 59),
    hours: parseField(hour, 0, 23),
    daysOfMonth: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, MONTH_NAMES, 1),
    daysOfWeek,
    domRestricted: dom !== "*",
    dowRestricted: dow !== "*",
  };
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  const domOk = s.daysOfMonth.has(date.getUTCDate());
  const dowOk = s.daysOfWeek.has(date.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** The first scheduled minute strictly after `afterMs` (UTC). */
export function nextCronTime(expression: string | CronSchedule, afterMs: number): number {
  const s = typeof expression === "string" ? parseCron(expression) : expression;
  const d = new Date(afterMs);
  d.setUTCSeconds(0, 0);
  d.setUTCMinutes(d.getUTCMinutes() + 1);
  // Skip whole months/days/hours that cannot match; bounded to ~5 years.
  const limit = afterMs + 5 * 366 * 86_400_000;
  while (d.getTime() <= limit) {
    if (!s.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  throw new Error(`cron "${typeof expression === "string" ? expression : "schedule"}" never fires`);
}

/** Next fire time of every cron trigger of the synced functions. */
export class CronTable {
  /** `<fn id>\n<cron>` -> next fire time. */
  private readonly next = new Map<string, number>();

  /** After a sync: keeps schedules that still exist, adds new ones, drops the rest. */
  reset(triggers: Array<{ functionId: string; cron: string }>, now: number): void {
    const live = new Set<string>();
    for (const { functionId, cron } of triggers) {
      const key = `${functionId}\n${cron}`;
      live.add(key);
      if (!this.next.has(key)) this.next.set(key, nextCronTime(cron, now));
    }
    for (const key of [...this.next.keys()]) if (!live.has(key)) this.next.delete(key);
  }

  /**
   * The crons due at `now`, each once, rescheduled from `now`: slots missed
   * during a long pause do not pile up into a storm of runs.
   */
  takeDue(now: number): Array<{ functionId: string; cron: string; dueAt: number }> {
    const due: Array<{ functionId: string; cron: string; dueAt: number }> = [];
    for (const [key, dueAt] of this.next) {
      if (dueAt > now) continue;
      const split = key.indexOf("\n");
      const cron = key.slice(split + 1);
      due.push({ functionId: key.slice(0, split), cron, dueAt });
      this.next.set(key, nextCronTime(cron, now));
    }
    return due;
  }

  nextAt(): number {
    return Math.min(Number.POSITIVE_INFINITY, ...this.next.values());
  }
}
