/** Publishing a sequence's draft as the builder does: preview, then publish with the preview's token. */
import type { Db } from "../../lib/db/prisma";
import { getDraftPreview, publishDraft } from "../../lib/sequences/versions/publish-draft";

export async function publishNow(db: Db, sequenceId: string, options: { backfill?: boolean; publishedBy?: string } = {}) {
  const backfill = options.backfill ?? false;
  const preview = await getDraftPreview(db, { sequenceId, backfill });
  const result = await publishDraft(db, { sequenceId, token: preview.token, backfill }, { publishedBy: options.publishedBy ?? "tester@example.com" });
  if (result.outcome !== "published") throw new Error("the preview went stale in between");
  return { preview, result };
}
