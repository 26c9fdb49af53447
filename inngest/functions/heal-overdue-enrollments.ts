import { getDb } from "@/lib/db/client";
import { healOverdueEnrollments } from "@/lib/sequences/heal";
import { inngest } from "../client";

/** Every 5 minutes: restart the runs of enrollments whose step is long overdue. */
export const healOverdue = inngest.createFunction(
  { id: "heal-overdue-enrollments", name: "Restart lost sequence runs", triggers: [{ cron: "*/5 * * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => step.run("restart-overdue", () => healOverdueEnrollments(getDb())),
);
