/** Drafts and publishing, shared by the publish form and its actions. */
import { z } from "zod";
import { ZId } from "./enrollment";

/** "Also send to contacts already past it", for steps the draft inserts. */
export const ZBackfill = z.boolean().default(false);

export const ZPublishDraft = z.object({
  sequenceId: ZId,
  /** The preview's fingerprint: publishing refuses if the plan's inputs changed since. */
  token: z.string().min(1, "Preview the changes first").max(100, "Not a preview token"),
  backfill: ZBackfill,
});
export type TPublishDraft = z.infer<typeof ZPublishDraft>;

/** The preview page's query: the policy and the per-contact list's page. */
export const ZPreviewParams = z.object({
  backfill: z.enum(["0", "1"]).catch("0").transform((v) => v === "1"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
