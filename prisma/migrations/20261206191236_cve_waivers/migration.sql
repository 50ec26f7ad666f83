-- AlterTable
ALTER TABLE "waivers" ADD COLUMN     "cve" TEXT,
ALTER COLUMN "rule_id" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "waivers_cve_idx" ON "waivers"("cve");

-- A waiver targets one rule or one CVE, never both or neither.
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_one_target" CHECK (num_nonnulls("rule_id", "cve") = 1);
