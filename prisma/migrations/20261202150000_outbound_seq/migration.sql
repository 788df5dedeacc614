-- AlterTable
ALTER TABLE "outbound_messages" ADD COLUMN     "seq" BIGSERIAL NOT NULL;
