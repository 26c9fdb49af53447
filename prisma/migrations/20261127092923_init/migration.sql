-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'marketer', 'viewer');

-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('subscribed', 'unsubscribed', 'bounced');

-- CreateEnum
CREATE TYPE "SequenceStatus" AS ENUM ('draft', 'active', 'paused', 'archived');

-- CreateEnum
CREATE TYPE "ReentryPolicy" AS ENUM ('never', 'after_exit', 'after_completion');

-- CreateEnum
CREATE TYPE "TriggerType" AS ENUM ('tag_added', 'score_threshold', 'signup');

-- CreateEnum
CREATE TYPE "DelayUnit" AS ENUM ('minutes', 'hours', 'days');

-- CreateEnum
CREATE TYPE "EnrollmentStatus" AS ENUM ('active', 'paused', 'completed', 'replied', 'opted_out', 'removed', 'contact_deleted', 'bounced');

-- CreateEnum
CREATE TYPE "ExitReason" AS ENUM ('completed', 'replied', 'opted_out', 'removed', 'contact_deleted', 'bounced');

-- CreateEnum
CREATE TYPE "SendStatus" AS ENUM ('claimed', 'sent', 'failed');

-- CreateEnum
CREATE TYPE "EnrollmentEventType" AS ENUM ('enrolled', 'duplicate_refused', 'enrollment_refused', 'step_sent', 'step_skipped', 'step_failed', 'paused', 'resumed', 'exited');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'marketer',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "leadScore" INTEGER NOT NULL DEFAULT 0,
    "status" "ContactStatus" NOT NULL DEFAULT 'subscribed',
    "unsubscribedAt" TIMESTAMP(3),
    "bouncedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactTag" (
    "contactId" TEXT NOT NULL,
    "tagId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactTag_pkey" PRIMARY KEY ("contactId","tagId")
);

-- CreateTable
CREATE TABLE "Sequence" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "SequenceStatus" NOT NULL DEFAULT 'draft',
    "exitOnReply" BOOLEAN NOT NULL DEFAULT true,
    "reentryPolicy" "ReentryPolicy" NOT NULL DEFAULT 'never',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Sequence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SequenceStep" (
    "id" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "delayAmount" INTEGER NOT NULL DEFAULT 0,
    "delayUnit" "DelayUnit" NOT NULL DEFAULT 'days',
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SequenceStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SequenceTrigger" (
    "id" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "type" "TriggerType" NOT NULL,
    "tagId" TEXT,
    "scoreThreshold" INTEGER,
    "signupSource" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SequenceTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "status" "EnrollmentStatus" NOT NULL DEFAULT 'active',
    "currentStepIndex" INTEGER NOT NULL DEFAULT 0,
    "nextStepDueAt" TIMESTAMP(3),
    "source" TEXT NOT NULL,
    "triggerId" TEXT,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exitedAt" TIMESTAMP(3),
    "exitReason" "ExitReason",
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StepSend" (
    "id" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "status" "SendStatus" NOT NULL DEFAULT 'claimed',
    "messageId" TEXT,
    "error" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "StepSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" "EnrollmentEventType" NOT NULL,
    "contactId" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "enrollmentId" TEXT,
    "stepId" TEXT,
    "reason" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnrollmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_email_key" ON "Contact"("email");

-- CreateIndex
CREATE INDEX "Contact_status_idx" ON "Contact"("status");

-- CreateIndex
CREATE INDEX "Contact_createdAt_idx" ON "Contact"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");

-- CreateIndex
CREATE INDEX "ContactTag_tagId_idx" ON "ContactTag"("tagId");

-- CreateIndex
CREATE INDEX "Sequence_status_idx" ON "Sequence"("status");

-- CreateIndex
CREATE INDEX "SequenceStep_sequenceId_position_idx" ON "SequenceStep"("sequenceId", "position");

-- CreateIndex
CREATE INDEX "SequenceTrigger_sequenceId_idx" ON "SequenceTrigger"("sequenceId");

-- CreateIndex
CREATE INDEX "SequenceTrigger_type_tagId_idx" ON "SequenceTrigger"("type", "tagId");

-- CreateIndex
CREATE INDEX "Enrollment_contactId_sequenceId_idx" ON "Enrollment"("contactId", "sequenceId");

-- CreateIndex
CREATE INDEX "Enrollment_sequenceId_status_idx" ON "Enrollment"("sequenceId", "status");

-- CreateIndex
CREATE INDEX "Enrollment_status_nextStepDueAt_idx" ON "Enrollment"("status", "nextStepDueAt");

-- CreateIndex
CREATE INDEX "StepSend_stepId_status_idx" ON "StepSend"("stepId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "StepSend_enrollmentId_stepId_key" ON "StepSend"("enrollmentId", "stepId");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_contactId_createdAt_idx" ON "EnrollmentEvent"("contactId", "createdAt");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_enrollmentId_createdAt_idx" ON "EnrollmentEvent"("enrollmentId", "createdAt");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_sequenceId_type_idx" ON "EnrollmentEvent"("sequenceId", "type");

-- AddForeignKey
ALTER TABLE "ContactTag" ADD CONSTRAINT "ContactTag_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactTag" ADD CONSTRAINT "ContactTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SequenceStep" ADD CONSTRAINT "SequenceStep_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SequenceTrigger" ADD CONSTRAINT "SequenceTrigger_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SequenceTrigger" ADD CONSTRAINT "SequenceTrigger_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepSend" ADD CONSTRAINT "StepSend_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepSend" ADD CONSTRAINT "StepSend_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "SequenceStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------
-- Hand-written: rules Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------

-- A contact holds at most one live (active or paused) place in a sequence.
-- This index, not application code, is the deduplication guarantee: a second
-- concurrent INSERT fails with a unique violation (P2002 through Prisma).
CREATE UNIQUE INDEX "enrollment_one_live_per_contact_sequence"
    ON "Enrollment" ("contactId", "sequenceId")
    WHERE "status" IN ('active', 'paused');

-- Emails are unique case-insensitively. The domain stores them lower-cased;
-- this index makes the rule hold for any writer. (A CHECK constraint would be
-- simpler, but Prisma 6.19's WASM schema engine crashes introspecting one.)
CREATE UNIQUE INDEX "contact_email_lower_unique" ON "Contact" (lower("email"));

-- The enrollment event log is an audit trail: append-only.
CREATE FUNCTION "enrollment_event_append_only"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'EnrollmentEvent is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER "enrollment_event_no_update_delete"
    BEFORE UPDATE OR DELETE ON "EnrollmentEvent"
    FOR EACH ROW EXECUTE FUNCTION "enrollment_event_append_only"();
