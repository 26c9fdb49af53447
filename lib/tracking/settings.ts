/** A sequence's tracking switch (docs/tracking.md). Messages already sent keep what they were sent with. */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { parseOrThrow } from "../validations/parse";
import { ZSetSequenceTracking, type TSetSequenceTracking } from "../validations/analytics";

export async function setSequenceTracking(db: Db, input: TSetSequenceTracking): Promise<{ trackingEnabled: boolean }> {
  const { sequenceId, enabled } = parseOrThrow(ZSetSequenceTracking, input);
  const { count } = await db.sequence.updateMany({ where: { id: sequenceId }, data: { trackingEnabled: enabled } });
  if (count === 0) throw new AppError("not_found", "Sequence not found.");
  return { trackingEnabled: enabled };
}
