-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "verdicts_rev" INTEGER NOT NULL DEFAULT 0;

-- Any write of a host's rule results moves its verdicts revision on, whoever makes it: an
-- ingest trusts the verdicts its process remembers only while the revision is the one it
-- left. The server's evaluations set the revision with the host row, which they hold locked,
-- and say so for their transaction ('set'), so their writes are not counted a second time,
-- row by row. Deletes cascading from a deleted host are not counted either.
CREATE FUNCTION "plumbline_verdicts_written"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "hosts" SET "verdicts_rev" = ("verdicts_rev" + 1) % 2147483647
   WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD."host_id" ELSE NEW."host_id" END;
  RETURN NULL;
END
$$;

CREATE TRIGGER "rule_results_written" AFTER INSERT OR UPDATE OR DELETE ON "rule_results"
  FOR EACH ROW WHEN (pg_trigger_depth() = 0 AND current_setting('plumbline.verdicts_rev', true) IS DISTINCT FROM 'set')
  EXECUTE FUNCTION "plumbline_verdicts_written"();
