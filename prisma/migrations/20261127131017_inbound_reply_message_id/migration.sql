-- AlterTable
ALTER TABLE "InboundReply" ADD COLUMN     "messageId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "InboundReply_messageId_key" ON "InboundReply"("messageId");

