-- CreateTable
CREATE TABLE "host_baselines" (
    "host_id" UUID NOT NULL,
    "facts" JSONB NOT NULL,
    "verdicts" JSONB NOT NULL,
    "facts_observed_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_by" TEXT NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,

    CONSTRAINT "host_baselines_pkey" PRIMARY KEY ("host_id")
);

-- CreateTable
CREATE TABLE "group_golden_hosts" (
    "group_name" TEXT NOT NULL,
    "host_id" UUID NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "group_golden_hosts_pkey" PRIMARY KEY ("group_name")
);

-- CreateIndex
CREATE INDEX "group_golden_hosts_host_id_idx" ON "group_golden_hosts"("host_id");

-- AddForeignKey
ALTER TABLE "host_baselines" ADD CONSTRAINT "host_baselines_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_golden_hosts" ADD CONSTRAINT "group_golden_hosts_group_name_fkey" FOREIGN KEY ("group_name") REFERENCES "groups"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_golden_hosts" ADD CONSTRAINT "group_golden_hosts_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
