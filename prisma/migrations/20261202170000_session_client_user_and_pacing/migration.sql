-- Seed 003's `userId` gets a column of its own: the caller's identifier of its end user, which keys
-- the `api_keys` lookup; `user_id` stays the owning gateway user (tenancy).
ALTER TABLE "sessions" ADD COLUMN     "client_user_id" TEXT,
ADD COLUMN     "pacing" JSONB;

-- Backfill: existing sessions looked their api_keys token up by their owner's id.
UPDATE "sessions" SET "client_user_id" = "user_id";

ALTER TABLE "sessions" ALTER COLUMN "client_user_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "sessions_client_user_id_idx" ON "sessions"("client_user_id");
