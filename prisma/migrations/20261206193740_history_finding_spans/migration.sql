-- AlterTable
ALTER TABLE "history_checkpoints" ADD COLUMN     "finding_spans" INTEGER NOT NULL DEFAULT 0;
