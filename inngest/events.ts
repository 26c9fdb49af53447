/**
 * Every event Stepwise sends or receives, typed in one place. Payloads carry
 * ids only: a run reads everything else from the database when it acts.
 *
 * The contact.* names are fixed by the product (integrations send them too).
 * sequenceId is always present (null = every sequence) because CEL throws on
 * a missing key where Inngest would compare it as null.
 */
import { eventType } from "inngest";
import { z } from "zod";
import { COHORT_SIZE } from "../lib/sequences/run-events";

const id = z.string().min(1);

/** Starts the one run of an enrollment (event id derived from the enrollment). */
export const enrollmentStarted = eventType("stepwise/enrollment.started", {
  schema: z.object({
    enrollmentId: id,
    contactId: id,
    sequenceId: id,
    /** Snapshot for cancelOn; the send step re-checks the database anyway. */
    exitOnReply: z.boolean(),
    /**
     * The function's idempotency key: the enrollment id for its first run,
     * "<enrollment>:heal:<hour>" when the self-healing job restarts a lost run
     * (a run always continues from what the database says is next).
     */
    runKey: z.string().min(1),
  }),
});

/**
 * A sequence has a new version (lib/sequences/versions): its sleeping runs
 * wake and plan again from the database. Only a nudge: a run that misses it
 * re-plans at its due time anyway, and the claim refuses a stale plan.
 */
export const sequencePublished = eventType("stepwise/sequence.published", {
  schema: z.object({ sequenceId: id, version: z.number().int() }),
});

export const contactOptedOut = eventType("contact.opted_out", {
  schema: z.object({ contactId: id }),
});

export const contactReplied = eventType("contact.replied", {
  schema: z.object({ contactId: id, sequenceId: id.nullable() }),
});

export const contactRemoved = eventType("contact.removed", {
  schema: z.object({ contactId: id, sequenceId: id.nullable() }),
});

export type EnrollmentStartedData = z.infer<typeof enrollmentStarted.schema>;

/** Something was queued for outbound webhooks (a replay): deliver now rather than at the next minute. */
export const webhooksWake = eventType("stepwise/webhooks.wake", { schema: z.object({}) });

/** Read one mailbox now (the cron asks for every mailbox each minute): one run per mailbox at a time. */
export const mailboxReadRequested = eventType("stepwise/mailbox.read", { schema: z.object({ mailboxId: id }) });

/**
 * Starts one run for enrollments of one sequence made together (a cohort,
 * lib/sequences/run-events.ts startEvents). Members carry the contact so a
 * member can be handed to a run of its own without a read.
 */
export const enrollmentsStarted = eventType("stepwise/enrollments.started", {
  schema: z.object({
    sequenceId: id,
    exitOnReply: z.boolean(),
    members: z.array(z.object({ enrollmentId: id, contactId: id })).min(1).max(COHORT_SIZE),
    /** The function's idempotency key: "cohort:" and the first member's run key. */
    runKey: z.string().min(1),
  }),
});

export type EnrollmentsStartedData = z.infer<typeof enrollmentsStarted.schema>;
