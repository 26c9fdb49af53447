import { getDb } from "@/lib/db/client";
import { markAbandonedClaims } from "@/lib/sequences/abandoned-claims";
import { healOverdueEnrollments } from "@/lib/sequences/heal";
import { inngest } from "../client";

/**
 * Every 5 minutes: restart the runs of enrollments whose step is long
 * overdue, and record sends abandoned mid-way as failed (outcome unknown).
 */
export const healOverdue = inngest.createFunction(
  { id: "heal-overdue-enrollments", name: "Restart lost sequence runs", triggers: [{ cron: "*/5 * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => {
    const restarted = await step.run("restart-overdue", () => healOverdueEnrollments(getDb()));
    const abandoned = await step.run("mark-abandoned-claims", () => markAbandonedClaims(getDb()));
    return { ...restarted, ...abandoned };
  },
);
