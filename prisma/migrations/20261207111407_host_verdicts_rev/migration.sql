-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "verdicts_rev" INTEGER NOT NULL DEFAULT 0;

-- Any write of a host's rule results moves its verdicts revision on, whoever makes it: an
-- ingest trusts the verdicts its process remembers only while the revision is the one it
-- left. The ingest itself sets the revision with its host row (it holds the row locked) and
-- says so for its transaction, so its own writes are not counted twice. Deletes cascading
-- from a deleted host are not counted either.
CREATE FUNCTION "plumbline_verdicts_written"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "hosts" SET "verdicts_rev" = ("verdicts_rev" + 1) % 2147483647
   WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD."host_id" ELSE NEW."host_id" END;
  RETURN NULL;
END
$$;

CREATE TRIGGER "rule_results_written" AFTER INSERT OR UPDATE OR DELETE ON "rule_results"
  FOR EACH ROW WHEN (pg_trigger_depth() = 0 AND current_setting('plumbline.verdicts_rev', true) IS DISTINCT FROM 'ingest')
  EXECUTE FUNCTION "plumbline_verdicts_written"();
