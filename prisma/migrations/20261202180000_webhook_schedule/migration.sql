-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "claim_token" TEXT,
ADD COLUMN     "claimed_until" TIMESTAMPTZ(3),
ADD COLUMN     "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- Deliveries logged before this migration happened when they were logged.
UPDATE "webhook_deliveries" SET "occurred_at" = "created_at";

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "url" TEXT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "failing_since" TIMESTAMPTZ(3),
    "paused_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("url")
);

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_session_id_occurred_at_seq_idx" ON "webhook_deliveries"("status", "session_id", "occurred_at", "seq");
