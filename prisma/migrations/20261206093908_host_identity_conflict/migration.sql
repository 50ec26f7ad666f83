-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "identity_conflict_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "hosts_machine_id_idx" ON "hosts"("machine_id");
