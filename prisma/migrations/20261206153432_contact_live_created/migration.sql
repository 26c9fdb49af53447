-- The contacts list's default order (newest first, id as tie-breaker) over
-- live contacts, holding every column a deep page's skip reads: past the
-- count cap, list-contacts.ts finds the page's ids by offset in this index
-- (index-only) and reads only those rows, where "Contact_createdAt_idx"
-- fetched the heap row of every skipped contact to check "deletedAt" and
-- then sorted ties by id. Partial, so Prisma's schema cannot express it.
-- See docs/benchmarks.md, "Admin reads at 1M (4)".
CREATE INDEX "contact_live_created" ON "Contact" ("createdAt", "id") WHERE "deletedAt" IS NULL;
