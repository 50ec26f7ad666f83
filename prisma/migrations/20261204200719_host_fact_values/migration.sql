-- Facts stored per top-level fact: a snapshot in which one fact changed writes that fact only.

-- CreateTable
CREATE TABLE "host_fact_values" (
    "host_id" UUID NOT NULL,
    "fact" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "digest" TEXT,

    CONSTRAINT "host_fact_values_pkey" PRIMARY KEY ("host_id","fact")
);

-- AddForeignKey
ALTER TABLE "host_fact_values" ADD CONSTRAINT "host_fact_values_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The stored documents, split. The digest is left null (the database cannot compute the
-- canonical JSON it is taken over): the next ingest of each host compares those facts by
-- value and writes their digests.
INSERT INTO "host_fact_values" ("host_id", "fact", "value")
SELECT f."host_id", e.key, e.value FROM "host_facts" f, jsonb_each(f."facts") AS e;

-- AlterTable
ALTER TABLE "host_facts" DROP COLUMN "facts";
