-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "kinds" TEXT[],
    "severities" TEXT[],
    "groups" TEXT[],
    "format" TEXT NOT NULL DEFAULT 'json',
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'drift',
    "event_id" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status_code" INTEGER,
    "error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_schedules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cadence" TEXT NOT NULL,
    "weekday" INTEGER,
    "hour" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'fleet',
    "profile" TEXT,
    "framework" TEXT,
    "waivers" BOOLEAN NOT NULL DEFAULT true,
    "destination_type" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3),
    "last_status" TEXT,
    "last_error" TEXT,
    "last_result" TEXT,

    CONSTRAINT "report_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "webhooks_name_key" ON "webhooks"("name");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_id_idx" ON "webhook_deliveries"("webhook_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "report_schedules_name_key" ON "report_schedules"("name");

-- CreateIndex
CREATE INDEX "report_schedules_next_run_at_idx" ON "report_schedules"("next_run_at");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhook deliveries are enqueued in the transaction that records the drift, so a delivery
-- exists exactly when its event does and survives a restart; sending happens later, in a
-- background worker, so a slow receiver never holds up ingest. One set-based INSERT per
-- statement; with no webhooks it joins an empty table.
CREATE FUNCTION "webhook_enqueue_drift"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "webhook_deliveries" ("webhook_id", "kind", "event_id")
  SELECT w."id", 'drift', d."id"
  FROM new_drift d
  JOIN "hosts" h ON h."id" = d."host_id"
  JOIN "webhooks" w ON w."enabled"
    AND (coalesce(cardinality(w."kinds"), 0) = 0 OR d."kind" = ANY (w."kinds"))
    AND (coalesce(cardinality(w."severities"), 0) = 0 OR d."severity" = ANY (w."severities"))
    AND (coalesce(cardinality(w."groups"), 0) = 0 OR h."group_name" = ANY (w."groups"));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "drift_events_enqueue_webhooks" AFTER INSERT ON "drift_events"
  REFERENCING NEW TABLE AS new_drift
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_enqueue_drift"();
