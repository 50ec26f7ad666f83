-- Keys that share a name keep the oldest's; each later one gets its prefix appended, so its
-- audit entries (actor apikey:<name>) stay tellable apart from here on.
UPDATE "api_keys" k SET "name" = k."name" || ' (' || k."prefix" || ')'
WHERE EXISTS (SELECT 1 FROM "api_keys" o WHERE o."name" = k."name" AND (o."created_at", o."id") < (k."created_at", k."id"));

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_name_key" ON "api_keys"("name");
