-- An out-of-office reply never ends a sequence; a sequence may instead hold
-- the contact's next step for a number of days (NULL: no hold).
ALTER TABLE "Sequence" ADD COLUMN "autoReplyPauseDays" INTEGER;
ALTER TABLE "Sequence" ADD CONSTRAINT "Sequence_autoReplyPauseDays_range" CHECK ("autoReplyPauseDays" IS NULL OR "autoReplyPauseDays" BETWEEN 1 AND 90);
-- Until when the next step waits, whatever its delay says (set by an auto-reply).
ALTER TABLE "Enrollment" ADD COLUMN "heldUntil" TIMESTAMP(3);
