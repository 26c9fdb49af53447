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


-- A cap of 0 would hold every send forever; "no cap" is NULL.
ALTER TABLE "Sequence" ADD CONSTRAINT "Sequence_dailyCap_positive" CHECK ("dailyCap" IS NULL OR "dailyCap" > 0);
