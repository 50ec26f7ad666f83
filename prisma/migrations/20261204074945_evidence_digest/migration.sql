-- AlterTable
ALTER TABLE "rule_results" ADD COLUMN     "evidence_digest" TEXT;
