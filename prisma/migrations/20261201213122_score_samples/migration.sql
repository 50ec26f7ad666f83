-- CreateTable
CREATE TABLE "score_samples" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "scope" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "score_waived" DOUBLE PRECISION,
    "hosts" INTEGER NOT NULL,

    CONSTRAINT "score_samples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "score_samples_scope_scope_id_at_idx" ON "score_samples"("scope", "scope_id", "at");

-- CreateIndex
CREATE INDEX "score_samples_at_idx" ON "score_samples"("at");
