-- CreateTable
CREATE TABLE "history_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "result_changes" INTEGER NOT NULL,
    "fact_changes" INTEGER NOT NULL,
    "drift_events" INTEGER NOT NULL,

    CONSTRAINT "history_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "history_checkpoints_cutoff_idx" ON "history_checkpoints"("cutoff");

-- CreateIndex
CREATE INDEX "history_checkpoints_created_at_idx" ON "history_checkpoints"("created_at");
