-- AlterEnum
ALTER TYPE "DelayUnit" ADD VALUE 'business_days';

-- AlterTable
ALTER TABLE "Sequence" ADD COLUMN     "schedule" JSONB,
ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "SequenceStep" ADD COLUMN     "waitUntil" VARCHAR(16);

