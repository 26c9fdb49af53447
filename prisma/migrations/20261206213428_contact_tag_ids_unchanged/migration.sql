-- The ContactTag triggers that keep Contact."tagIds" leave a contact whose
-- array is already what they compute alone: no new version of its row, so
-- no write to each of Contact's indexes (the trigram GIN one included:
-- "tagIds" is indexed, so such an update is never HOT). The CSV import
-- writes its contacts with their tag ids in the transaction that inserts
-- their links (lib/contacts/import-tags.ts), so for it the triggers now
-- change nothing where they used to rewrite every imported contact
-- (docs/benchmarks.md, "CSV import (12): tag ids with the rows").
-- The guard repeats the SET expression on the row being updated, so the
-- comparison, like the new array, is re-evaluated on the row version the
-- UPDATE finally locks (a concurrent tagging committed first is kept).
CREATE OR REPLACE FUNCTION contact_tag_ids_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Contact" WHERE "id" IN (SELECT "contactId" FROM added) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "Contact" c
  SET "tagIds" = ARRAY(SELECT DISTINCT x FROM unnest(c."tagIds" || a."ids") AS x ORDER BY x)
  FROM (SELECT "contactId", array_agg("tagId") AS "ids" FROM added GROUP BY "contactId") a
  WHERE c."id" = a."contactId"
    AND c."tagIds" IS DISTINCT FROM ARRAY(SELECT DISTINCT x FROM unnest(c."tagIds" || a."ids") AS x ORDER BY x);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION contact_tag_ids_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Contact" WHERE "id" IN (SELECT "contactId" FROM removed) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "Contact" c
  SET "tagIds" = ARRAY(SELECT x FROM unnest(c."tagIds") AS x WHERE x <> ALL (r."ids") ORDER BY x)
  FROM (SELECT "contactId", array_agg("tagId") AS "ids" FROM removed GROUP BY "contactId") r
  WHERE c."id" = r."contactId"
    AND c."tagIds" IS DISTINCT FROM ARRAY(SELECT x FROM unnest(c."tagIds") AS x WHERE x <> ALL (r."ids") ORDER BY x);
  RETURN NULL;
END $$;
