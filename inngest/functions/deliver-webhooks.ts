import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { drainWebhooks } from "@/lib/outbound-webhooks/drain";
import { inngest } from "../client";
import { webhooksWake } from "../events";

/** Retries due within this long are waited for in the same run; later ones are left to the next minute's run. */
const FOLLOW_UP_WITHIN_MS = 55_000;
/** Drains per run: the first and up to this many follow-ups on near retries. */
const MAX_ROUNDS = 6;

/**
 * Delivers outbound webhooks from the outbox (docs/outbound-webhooks.md).
 * Every minute, and when woken: drains what is due, then sleeps until a
 * retry due within the minute (a first retry comes 5 s after a failure) and
 * drains again. The cron run is the self-healing path: an outbox row whose
 * wake-up was lost, or whose run died, is delivered by the next one. The
 * database decides what is due and holds each attempt's lease, so
 * overlapping runs never send an attempt twice.
 */
export const deliverWebhooks = inngest.createFunction(
  { id: "deliver-webhooks", name: "Deliver outbound webhooks", triggers: [{ cron: "* * * * *" }, webhooksWake], concurrency: { limit: 1 } },
  async ({ step }) => {
    let attempted = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const drained = await step.run(`drain-${round}`, () => drainWebhooks(getDb()));
      attempted += drained.attempted;
      if (!drained.nextDueAt) break;
      const wait = Date.parse(drained.nextDueAt) - now().getTime();
      if (wait > FOLLOW_UP_WITHIN_MS) break;
      if (wait > 0) await step.sleep(`wait-${round}`, Math.ceil(wait / 1000) * 1000);
    }
    return { attempted };
  },
);
