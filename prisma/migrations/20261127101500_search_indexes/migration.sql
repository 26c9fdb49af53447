-- Hand-written: indexes for the contacts list at 100,000+ contacts and a
-- case-insensitive tag name rule. Prisma's schema language cannot express
-- expression or trigram indexes; they cause no drift.

-- Trigram search ("contains") on email and name. pg_trgm is a trusted
-- extension: a database owner can create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "contact_email_trgm" ON "Contact" USING gin (lower("email") gin_trgm_ops);
CREATE INDEX "contact_name_trgm" ON "Contact"
    USING gin ((lower(coalesce("firstName", '') || ' ' || coalesce("lastName", ''))) gin_trgm_ops);

-- Sorting by display name and by score, with the id tie-breaker the list uses.
CREATE INDEX "contact_display_name" ON "Contact"
    ((lower(coalesce(nullif(btrim(coalesce("firstName", '') || ' ' || coalesce("lastName", '')), ''), "email"))), "id");
CREATE INDEX "contact_score" ON "Contact" ("leadScore", "id");

-- "VIP" and "vip" are the same tag.
CREATE UNIQUE INDEX "tag_name_lower_unique" ON "Tag" (lower("name"));
