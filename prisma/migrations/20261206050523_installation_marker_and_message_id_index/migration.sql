-- CreateTable
CREATE TABLE "InstallationMarker" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstallationMarker_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "StepSend_messageId_idx" ON "StepSend"("messageId");

