-- AlterTable
ALTER TABLE "StepSend" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "retryable" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CaughtMessage" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "contactId" TEXT,
    "enrollmentId" TEXT,
    "stepId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaughtMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaughtMessage_messageId_key" ON "CaughtMessage"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "CaughtMessage_idempotencyKey_key" ON "CaughtMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "CaughtMessage_createdAt_idx" ON "CaughtMessage"("createdAt");

-- CreateIndex
CREATE INDEX "CaughtMessage_toAddress_createdAt_idx" ON "CaughtMessage"("toAddress", "createdAt");

