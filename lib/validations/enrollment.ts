import { z } from "zod";
import { EXIT_REASONS, type TExitReason } from "../sequences/exit-reasons";
import { ZEnrollmentSource } from "../sequences/triggers";

export const ZId = z.uuid({ message: "Not a valid id" });

export const ZEnrollContactInput = z.object({
  contactId: ZId,
  sequenceId: ZId,
  source: ZEnrollmentSource,
  triggerId: ZId.optional(),
});
export type TEnrollContactInput = z.infer<typeof ZEnrollContactInput>;

export const ZExitReason = z.enum(EXIT_REASONS as [TExitReason, ...TExitReason[]]);

export const ZExitContactInput = z.object({
  contactId: ZId,
  /** Omit to end the contact's live enrollments in every sequence. */
  sequenceId: ZId.optional(),
  /** Narrow to one enrollment (a run completing its own enrollment). */
  enrollmentId: ZId.optional(),
  reason: ZExitReason,
  /** Free text kept in the event log: who removed, which message bounced... */
  detail: z.string().max(500).optional(),
});
export type TExitContactInput = z.infer<typeof ZExitContactInput>;
