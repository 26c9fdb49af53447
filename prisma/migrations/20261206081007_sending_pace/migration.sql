-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "sendSlotAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Sequence" ADD COLUMN     "dailyCap" INTEGER;

-- CreateTable
CREATE TABLE "SequenceDaySends" (
    "sequenceId" TEXT NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "sends" INTEGER NOT NULL,

    CONSTRAINT "SequenceDaySends_pkey" PRIMARY KEY ("sequenceId","day")
);

-- CreateTable
CREATE TABLE "SendPace" (
    "sender" TEXT NOT NULL,
    "lastSlotAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SendPace_pkey" PRIMARY KEY ("sender")
);

-- AddForeignKey
ALTER TABLE "SequenceDaySends" ADD CONSTRAINT "SequenceDaySends_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A cap of 0 would hold every send forever; "no cap" is NULL. A trigger,
-- not a CHECK constraint: Prisma 6.19's `migrate diff` (the drift check)
-- panics on CHECK constraints. It raises what a CHECK would.
CREATE FUNCTION "sequence_daily_cap_positive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."dailyCap" IS NOT NULL AND NEW."dailyCap" <= 0 THEN
    RAISE EXCEPTION 'new row for relation "Sequence" violates check constraint "Sequence_dailyCap_positive"'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'Sequence_dailyCap_positive';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Sequence_dailyCap_positive" BEFORE INSERT OR UPDATE OF "dailyCap" ON "Sequence"
  FOR EACH ROW EXECUTE FUNCTION "sequence_daily_cap_positive"();
