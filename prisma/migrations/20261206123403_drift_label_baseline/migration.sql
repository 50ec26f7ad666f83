-- AlterTable
ALTER TABLE "drift_events" ADD COLUMN     "baseline" TEXT,
ADD COLUMN     "label" TEXT;

-- Compliance drift's fail -> pass is called an improvement.
UPDATE "drift_events" SET "direction" = 'improvement' WHERE "direction" = 'fix';
