-- AlterTable
ALTER TABLE "bulk_jobs" ADD COLUMN     "items" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "bulk_jobs_status_idx" ON "bulk_jobs"("status");
