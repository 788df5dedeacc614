-- AlterTable
ALTER TABLE "outbound_messages" ADD COLUMN     "retry_at" TIMESTAMPTZ(3);
