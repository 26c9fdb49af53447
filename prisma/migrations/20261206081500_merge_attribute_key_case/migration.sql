-- Merge tags match attribute keys case-insensitively (docs/authoring.md), so
-- keys that differ only in case ("Company" from a CSV header, "company" from
-- the API) are one attribute. This merges them into one spelling per
-- attribute: the one most contacts have (a tie: the last in byte order, so
-- lower case wins, as lib/email/attribute-keys.ts chooses). A contact with several spellings
-- keeps the canonical one's value when it is not empty, else the first
-- non-empty value of the others in byte order.
WITH "keyUse" AS (
  SELECT k AS "key", lower(k) AS "identity", count(*) AS "contacts"
  FROM "Contact" c, jsonb_object_keys(CASE WHEN jsonb_typeof(c."attributes") = 'object' THEN c."attributes" ELSE '{}'::jsonb END) k
  WHERE c."deletedAt" IS NULL
  GROUP BY k
),
"canonical" AS (
  SELECT DISTINCT ON ("identity") "identity", "key"
  FROM "keyUse"
  ORDER BY "identity", "contacts" DESC, "key" COLLATE "C" DESC
),
"affected" AS (
  SELECT c."id"
  FROM "Contact" c, jsonb_object_keys(CASE WHEN jsonb_typeof(c."attributes") = 'object' THEN c."attributes" ELSE '{}'::jsonb END) k
  JOIN "canonical" n ON n."identity" = lower(k)
  WHERE n."key" <> k
  GROUP BY c."id"
),
"merged" AS (
  SELECT a."id", jsonb_object_agg(v."key", v."value") AS "attributes"
  FROM "affected" a
  JOIN "Contact" c ON c."id" = a."id"
  CROSS JOIN LATERAL (
    SELECT DISTINCT ON (coalesce(n."key", e."key")) coalesce(n."key", e."key") AS "key", e."value"
    FROM jsonb_each(c."attributes") e
    LEFT JOIN "canonical" n ON n."identity" = lower(e."key")
    ORDER BY coalesce(n."key", e."key"),
      -- An empty value loses to any other; then the canonical spelling; then byte order.
      (e."value" IN ('""'::jsonb, 'null'::jsonb) OR btrim(e."value" #>> '{}') = ''),
      (e."key" = n."key") DESC,
      e."key" COLLATE "C"
  ) v
  GROUP BY a."id"
)
UPDATE "Contact" c SET "attributes" = m."attributes"
FROM "merged" m
WHERE c."id" = m."id";
