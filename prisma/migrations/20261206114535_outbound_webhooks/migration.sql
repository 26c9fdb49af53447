-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'delivering', 'succeeded', 'failed');

-- AlterEnum
ALTER TYPE "AuditActorType" ADD VALUE 'system';

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "disabledAt" TIMESTAMP(3),
    "disabledReason" TEXT,
    "failingSince" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastAttempt" INTEGER NOT NULL DEFAULT 8,
    "nextAttemptAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "statusCode" INTEGER,
    "responseExcerpt" TEXT,
    "durationMs" INTEGER,
    "error" TEXT,
    "nextAttemptAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEvent_createdAt_idx" ON "WebhookEvent"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_leaseUntil_idx" ON "WebhookDelivery"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_createdAt_idx" ON "WebhookDelivery"("endpointId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_endpointId_key" ON "WebhookDelivery"("eventId", "endpointId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookAttempt_deliveryId_number_key" ON "WebhookAttempt"("deliveryId", "number");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The outbox (docs/outbound-webhooks.md). An event is written, with one
-- delivery per enabled endpoint subscribed to its type, in the transaction
-- of the change it describes; with no such endpoint nothing is written.
-- Enrollment events (enrolled, step sent/failed, exited) are turned into
-- webhook events here, once per statement over its new rows, so the bulk
-- enroll's one INSERT ... SELECT stays one statement and a workspace without
-- endpoints pays one indexless probe of an empty (or tiny) table per
-- statement. Contact-level events (opted out, replied, bounced) are written
-- by lib/outbound-webhooks/record.ts through webhook_outbox_write.

CREATE FUNCTION webhook_timestamp(at timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- One event row per (type, data, at) given, and its deliveries.
CREATE FUNCTION webhook_outbox_write(p_type text, p_data jsonb, p_at timestamp) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  event_id text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."disabledAt" IS NULL AND p_type = ANY (w."events")) THEN
    RETURN;
  END IF;
  -- The contact's address, as the enrollment events carry it.
  p_data := p_data || jsonb_strip_nulls(jsonb_build_object('email', (SELECT c."email" FROM "Contact" c WHERE c."id" = p_data ->> 'contactId')));
  event_id := 'msg_' || replace(gen_random_uuid()::text, '-', '');
  INSERT INTO "WebhookEvent" ("id", "type", "payload", "createdAt")
  VALUES (event_id, p_type, jsonb_build_object('type', p_type, 'timestamp', webhook_timestamp(p_at), 'data', p_data), p_at);
  INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "status", "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid()::text, event_id, w."id", 'pending', p_at, p_at
  FROM "WebhookEndpoint" w WHERE w."disabledAt" IS NULL AND p_type = ANY (w."events");
END
$$;

CREATE FUNCTION webhook_outbox_from_enrollment_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."disabledAt" IS NULL) THEN
    RETURN NULL;
  END IF;
  WITH typed AS (
    SELECT n.*, CASE n."type"
        WHEN 'enrolled' THEN 'contact.enrolled'
        WHEN 'step_sent' THEN 'step.sent'
        WHEN 'step_failed' THEN 'step.failed'
        WHEN 'exited' THEN 'contact.exited'
      END AS "webhookType"
    FROM new_rows n
    WHERE n."type" IN ('enrolled', 'step_sent', 'step_failed', 'exited')
  ), wanted AS (
    SELECT t.*, 'msg_' || replace(gen_random_uuid()::text, '-', '') AS "eventId"
    FROM typed t
    WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."disabledAt" IS NULL AND t."webhookType" = ANY (w."events"))
  ), events AS (
    INSERT INTO "WebhookEvent" ("id", "type", "payload", "createdAt")
    SELECT x."eventId", x."webhookType",
           jsonb_build_object('type', x."webhookType", 'timestamp', webhook_timestamp(x."createdAt"), 'data', jsonb_strip_nulls(jsonb_build_object(
             'contactId', x."contactId",
             'email', c."email",
             'sequenceId', x."sequenceId",
             'sequenceName', s."name",
             'enrollmentId', x."enrollmentId",
             'stepId', x."stepId",
             'source', CASE WHEN x."type" = 'enrolled' THEN x."reason" END,
             'subject', CASE WHEN x."type" = 'step_sent' THEN x."reason" END,
             'reason', CASE WHEN x."type" IN ('step_failed', 'exited') THEN x."reason" END,
             'error', CASE WHEN x."type" = 'step_failed' THEN x."data" ->> 'error' END,
             'detail', CASE WHEN x."type" = 'exited' THEN x."data" ->> 'detail' END
           ))),
           x."createdAt"
    FROM wanted x
    LEFT JOIN "Contact" c ON c."id" = x."contactId"
    LEFT JOIN "Sequence" s ON s."id" = x."sequenceId"
    RETURNING "id", "type", "createdAt"
  )
  INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "status", "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid()::text, e."id", w."id", 'pending', e."createdAt", e."createdAt"
  FROM events e JOIN "WebhookEndpoint" w ON w."disabledAt" IS NULL AND e."type" = ANY (w."events");
  RETURN NULL;
END
$$;

CREATE TRIGGER webhook_outbox_from_enrollment_events
AFTER INSERT ON "EnrollmentEvent"
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox_from_enrollment_events();
