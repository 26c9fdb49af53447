/** The planner: the only place that does time-zone arithmetic. See docs/schedules.md. */
export { planNextSend } from "./plan";
export { localDay, startOfNextLocalDay } from "./day";
export { resolveZone, canonicalZone, type ZoneResolution } from "./zone";
export { describeSchedule, describeDays, describeReason, explainPlan, formatLocal } from "./describe";
export type * from "./types";
