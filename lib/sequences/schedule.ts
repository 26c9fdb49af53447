/** Step delays: how long after the previous step (or enrollment) a step is due. */
import type { DelayUnit } from "../generated/prisma/enums";

const UNIT_MS: Record<DelayUnit, number> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  // A lower bound (a business day is at least a day later): the real time,
  // which skips closed days, comes from planNextSend in lib/schedule.
  business_days: 86_400_000,
};

const UNIT_WORDS: Record<DelayUnit, [singular: string, plural: string]> = {
  minutes: ["minute", "minutes"],
  hours: ["hour", "hours"],
  days: ["day", "days"],
  business_days: ["business day", "business days"],
};

export function delayMs(amount: number, unit: DelayUnit): number {
  return amount * UNIT_MS[unit];
}

/** When a step with this delay is due, counting from `from`. */
export function dueAt(from: Date, step: { delayAmount: number; delayUnit: DelayUnit }): Date {
  return new Date(from.getTime() + delayMs(step.delayAmount, step.delayUnit));
}

/** "3 days", "1 hour", "2 business days", "immediately": for the builder and timelines. */
export function describeDelay(amount: number, unit: DelayUnit): string {
  if (amount === 0) return "immediately";
  const [singular, plural] = UNIT_WORDS[unit];
  return `${amount} ${amount === 1 ? singular : plural}`;
}
