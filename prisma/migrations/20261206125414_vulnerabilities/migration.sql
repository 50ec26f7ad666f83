-- CreateTable
CREATE TABLE "vuln_feeds" (
    "kind" TEXT NOT NULL,
    "version" TEXT,
    "sha256" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    "origin" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vuln_feeds_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "vuln_advisories" (
    "distro" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "package" TEXT NOT NULL,
    "cve" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "fixed_version" TEXT,
    "severity" TEXT,

    CONSTRAINT "vuln_advisories_pkey" PRIMARY KEY ("distro","release","package","cve")
);

-- CreateTable
CREATE TABLE "vuln_cves" (
    "cve" TEXT NOT NULL,
    "description" TEXT,
    "cvss" DOUBLE PRECISION,
    "cvss_vector" TEXT,
    "epss" DOUBLE PRECISION,
    "epss_percentile" DOUBLE PRECISION,
    "kev" BOOLEAN NOT NULL DEFAULT false,
    "kev_due_date" TEXT,

    CONSTRAINT "vuln_cves_pkey" PRIMARY KEY ("cve")
);

-- CreateTable
CREATE TABLE "vuln_findings" (
    "host_id" UUID NOT NULL,
    "cve" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "installed_version" TEXT NOT NULL,
    "packages" TEXT[],
    "fixed_version" TEXT,
    "state" TEXT NOT NULL,
    "kernel" TEXT,
    "exposure" TEXT NOT NULL,
    "listeners" TEXT[],
    "priority" INTEGER NOT NULL,
    "severity" TEXT,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vuln_findings_pkey" PRIMARY KEY ("host_id","cve","source","installed_version")
);

-- CreateIndex
CREATE INDEX "vuln_advisories_cve_idx" ON "vuln_advisories"("cve");

-- CreateIndex
CREATE INDEX "vuln_findings_cve_idx" ON "vuln_findings"("cve");

-- CreateIndex
CREATE INDEX "vuln_findings_priority_idx" ON "vuln_findings"("priority");

-- AddForeignKey
ALTER TABLE "vuln_findings" ADD CONSTRAINT "vuln_findings_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
