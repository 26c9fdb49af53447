-- AlterTable: a sequence's unpublished step edits (docs/versions.md, "Drafts")
ALTER TABLE "Sequence" ADD COLUMN "draft" JSONB;
