-- OAuth2 refresh for the connected mailbox (issue 21).
ALTER TABLE "Mailbox" ADD COLUMN "oauthTokenUrl" TEXT,
ADD COLUMN "oauthClientId" TEXT,
ADD COLUMN "oauthEncrypted" TEXT,
ADD COLUMN "accessTokenExpiresAt" TIMESTAMP(3);
