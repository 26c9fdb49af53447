-- The contacts list's tag filter, as a column the search can combine with:
-- each contact's tag ids, kept by triggers on "ContactTag", in a GIN index
-- beside the name and email trigram indexes. A search plus a tag filter
-- then ANDs two bitmaps before reading any row, where the EXISTS on
-- "ContactTag" read the row of every search match to join it (at 1M
-- contacts, a first name shared by 1.7% of them read nearly every block of
-- "Contact"). See docs/benchmarks.md, "Admin reads at 1M (4)".
ALTER TABLE "Contact" ADD COLUMN "tagIds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

UPDATE "Contact" c SET "tagIds" = t."ids"
FROM (SELECT "contactId", array_agg("tagId" ORDER BY "tagId") AS "ids" FROM "ContactTag" GROUP BY "contactId") t
WHERE c."id" = t."contactId";

CREATE INDEX "Contact_tagIds_idx" ON "Contact" USING GIN ("tagIds");

-- Statement-level, over the rows the statement changed: a bulk tagging of
-- 10,000 contacts is one UPDATE, not 10,000. The contacts are locked in id
-- order first (the order the tagging statements insert in), so two
-- overlapping taggings wait for each other instead of deadlocking. The new
-- array is computed from the row being updated, not re-read from
-- "ContactTag": under READ COMMITTED a concurrent tagging that committed
-- first is then kept (its change is in the row this UPDATE re-checks).
CREATE FUNCTION contact_tag_ids_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Contact" WHERE "id" IN (SELECT "contactId" FROM added) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "Contact" c
  SET "tagIds" = ARRAY(SELECT DISTINCT x FROM unnest(c."tagIds" || a."ids") AS x ORDER BY x)
  FROM (SELECT "contactId", array_agg("tagId") AS "ids" FROM added GROUP BY "contactId") a
  WHERE c."id" = a."contactId";
  RETURN NULL;
END $$;

CREATE FUNCTION contact_tag_ids_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Contact" WHERE "id" IN (SELECT "contactId" FROM removed) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "Contact" c
  SET "tagIds" = ARRAY(SELECT x FROM unnest(c."tagIds") AS x WHERE x <> ALL (r."ids") ORDER BY x)
  FROM (SELECT "contactId", array_agg("tagId") AS "ids" FROM removed GROUP BY "contactId") r
  WHERE c."id" = r."contactId";
  RETURN NULL;
END $$;

CREATE TRIGGER contact_tag_ids_on_insert AFTER INSERT ON "ContactTag"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION contact_tag_ids_add();
CREATE TRIGGER contact_tag_ids_on_delete AFTER DELETE ON "ContactTag"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION contact_tag_ids_remove();
-- Nothing updates a link today; if something does, the old pair goes (1_) before the new one comes (2_): triggers fire in name order.
CREATE TRIGGER contact_tag_ids_on_update_1_remove AFTER UPDATE ON "ContactTag"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION contact_tag_ids_remove();
CREATE TRIGGER contact_tag_ids_on_update_2_add AFTER UPDATE ON "ContactTag"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION contact_tag_ids_add();
