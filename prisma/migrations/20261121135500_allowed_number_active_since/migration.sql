-- AlterTable
ALTER TABLE "allowed_numbers" ADD COLUMN     "active_since" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP;

-- Backfill: an active row's period began at its last change at the latest; an inactive row has none.
UPDATE "allowed_numbers" SET "active_since" = CASE WHEN "status" = 'active' THEN "updated_at" ELSE NULL END;
