-- CreateEnum
CREATE TYPE "MailboxAuth" AS ENUM ('password', 'oauth2');

-- CreateTable
CREATE TABLE "Mailbox" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "tls" BOOLEAN NOT NULL DEFAULT true,
    "username" TEXT NOT NULL,
    "authMethod" "MailboxAuth" NOT NULL DEFAULT 'password',
    "secretEncrypted" TEXT NOT NULL,
    "folder" TEXT NOT NULL DEFAULT 'INBOX',
    "uidValidity" BIGINT,
    "lastSeenUid" BIGINT NOT NULL DEFAULT 0,
    "lastReadAt" TIMESTAMP(3),
    "lastError" TEXT,
    "messagesRead" INTEGER NOT NULL DEFAULT 0,
    "repliesMatched" INTEGER NOT NULL DEFAULT 0,
    "bouncesMatched" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mailbox_pkey" PRIMARY KEY ("id")
);

