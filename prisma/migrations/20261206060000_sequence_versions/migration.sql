-- Sequence versions and identity-based run positions (docs/versions.md).

-- AlterEnum: the values are not used in this migration.
ALTER TYPE "EnrollmentEventType" ADD VALUE 'step_moved';
ALTER TYPE "EnrollmentEventType" ADD VALUE 'step_passed';
ALTER TYPE "EnrollmentEventType" ADD VALUE 'step_held';
ALTER TYPE "EnrollmentEventType" ADD VALUE 'zone_fallback';

-- AlterTable
ALTER TABLE "Sequence" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN "waitingStepId" TEXT,
ADD COLUMN "sequenceVersion" INTEGER;

-- CreateTable
CREATE TABLE "SequenceVersion" (
    "id" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "publishedBy" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SequenceVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SequenceVersion_sequenceId_number_key" ON "SequenceVersion"("sequenceId", "number");

-- AddForeignKey
ALTER TABLE "SequenceVersion" ADD CONSTRAINT "SequenceVersion_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Hand-written: Enrollment."nextStepId" follows the step identity, as the
-- planner (lib/sequences/versions/plan.ts) does. The reference is the step
-- the enrollment waits on (none yet, e.g. in flight since before this
-- migration: the first live unsent step, as before); the next step is that step if still live and
-- unsent, else the first live unsent step after it in (position, createdAt,
-- id) order. A step inserted before the reference is never "next": the
-- contact has passed that point.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION "enrollment_next_step"(enrollment_id text, sequence_id text) RETURNS text
    LANGUAGE sql STABLE AS $$
    WITH ref AS (
        SELECT st."id", st."position", st."createdAt" FROM "SequenceStep" st
        WHERE st."id" = (SELECT e."waitingStepId" FROM "Enrollment" e WHERE e."id" = enrollment_id)
    )
    SELECT st."id" FROM "SequenceStep" st
    WHERE st."sequenceId" = sequence_id AND st."deletedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "StepSend" ss WHERE ss."enrollmentId" = enrollment_id AND ss."stepId" = st."id")
      AND (NOT EXISTS (SELECT 1 FROM ref)
           OR EXISTS (SELECT 1 FROM ref WHERE st."id" = ref."id" OR (st."position", st."createdAt", st."id") > (ref."position", ref."createdAt", ref."id")))
    ORDER BY st."position", st."createdAt", st."id"
    LIMIT 1
$$;
