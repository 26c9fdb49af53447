-- AlterTable
ALTER TABLE "Mailbox" ADD COLUMN     "senderId" TEXT,
ALTER COLUMN "id" DROP DEFAULT;

-- CreateIndex
CREATE UNIQUE INDEX "Mailbox_senderId_key" ON "Mailbox"("senderId");

-- AddForeignKey
ALTER TABLE "Mailbox" ADD CONSTRAINT "Mailbox_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The mailbox from before sender identities (id "default") becomes the
-- default sender's, when an admin has made one the default. Otherwise it
-- stays the installation's (no sender): still read, shown in Settings as
-- "No sender", until it is disconnected. Its id is kept either way: the
-- stored secrets are sealed with it.
UPDATE "Mailbox" SET "senderId" = (SELECT "id" FROM "Sender" WHERE "isDefault" LIMIT 1)
WHERE "id" = 'default' AND "senderId" IS NULL;

-- At most one mailbox without a sender.
CREATE UNIQUE INDEX "mailbox_one_unattached" ON "Mailbox" ((true)) WHERE "senderId" IS NULL;
