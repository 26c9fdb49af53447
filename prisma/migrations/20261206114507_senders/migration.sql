-- AlterTable
ALTER TABLE "Sequence" ADD COLUMN     "senderId" TEXT;

-- CreateTable
CREATE TABLE "Sender" (
    "id" TEXT NOT NULL,
    "fromName" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "replyTo" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Sender_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Sequence_senderId_idx" ON "Sequence"("senderId");

-- AddForeignKey
ALTER TABLE "Sequence" ADD CONSTRAINT "Sequence_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sender" ADD CONSTRAINT "Sender_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sender" ADD CONSTRAINT "Sender_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- At most one default sender, whoever writes: a second concurrent
-- "set default" fails with a unique violation instead of leaving two.
CREATE UNIQUE INDEX "sender_one_default" ON "Sender" ("isDefault") WHERE "isDefault";

-- Existing sequences get no sender (null): they keep sending as the
-- installation's default, MAIL_FROM / MAIL_SENDER_NAME, exactly as before.
