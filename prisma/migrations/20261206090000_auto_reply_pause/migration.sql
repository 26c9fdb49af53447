-- An out-of-office reply never ends a sequence; a sequence may instead hold
-- the contact's next step for a number of days (NULL: no hold).
ALTER TABLE "Sequence" ADD COLUMN "autoReplyPauseDays" INTEGER;
-- A trigger, not a CHECK constraint: Prisma 6.19's `migrate diff` (the drift
-- check) panics on CHECK constraints. It raises what a CHECK would.
CREATE FUNCTION "sequence_auto_reply_pause_range"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."autoReplyPauseDays" IS NOT NULL AND NEW."autoReplyPauseDays" NOT BETWEEN 1 AND 90 THEN
    RAISE EXCEPTION 'new row for relation "Sequence" violates check constraint "Sequence_autoReplyPauseDays_range"'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'Sequence_autoReplyPauseDays_range';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Sequence_autoReplyPauseDays_range" BEFORE INSERT OR UPDATE OF "autoReplyPauseDays" ON "Sequence"
  FOR EACH ROW EXECUTE FUNCTION "sequence_auto_reply_pause_range"();
-- Until when the next step waits, whatever its delay says (set by an auto-reply).
ALTER TABLE "Enrollment" ADD COLUMN "heldUntil" TIMESTAMP(3);
