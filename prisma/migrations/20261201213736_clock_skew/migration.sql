-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "clock_skew_seconds" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "fact_changes_host_id_seq_idx" ON "fact_changes"("host_id", "seq");
