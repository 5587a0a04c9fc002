-- The kernel's durable job queue and outbox (kernel/jobs). A job is enqueued inside the transaction
-- whose work it follows (so it exists exactly when that work committed), claimed by one worker at a
-- time for a lease, retried with back-off, and kept after it is done for a while (what ran, when).
-- Payloads hold ids and codes only, never personal data: the job's handler reads what it needs,
-- audited as usual.
CREATE TABLE kernel_job (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  municipality_code char(6),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- At most one live (not done) job per queue and key: enqueueing it again is a no-op.
  job_key text,
  run_at timestamp(3) with time zone NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 10,
  locked_until timestamp(3) with time zone,
  last_error text,
  done_at timestamp(3) with time zone,
  failed_at timestamp(3) with time zone,
  created_at timestamp(3) with time zone NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX kernel_job_key_uq ON kernel_job (queue, job_key) WHERE job_key IS NOT NULL AND done_at IS NULL AND failed_at IS NULL;
--> statement-breakpoint
CREATE INDEX kernel_job_due_idx ON kernel_job (queue, run_at) WHERE done_at IS NULL AND failed_at IS NULL;
--> statement-breakpoint
-- The app role enqueues (for its own municipality, or for none) and reads its own jobs; claiming and
-- settling go through the functions below, which act for whichever tenant the job names.
GRANT SELECT, INSERT ON kernel_job TO kazashi_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE kernel_job_id_seq TO kazashi_app;
--> statement-breakpoint
ALTER TABLE kernel_job ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY kernel_job_read ON kernel_job FOR SELECT TO kazashi_app
  USING (municipality_code IS NULL OR municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY kernel_job_insert ON kernel_job FOR INSERT TO kazashi_app
  WITH CHECK (municipality_code IS NULL OR municipality_code = kazashi_current_municipality());
--> statement-breakpoint
-- Claims up to p_limit due jobs of a queue for p_lease_ms: each is given to one caller (SKIP LOCKED),
-- and comes back due if the lease passes without an answer (a worker that died).
CREATE FUNCTION kazashi_job_claim(p_queue text, p_limit integer, p_lease_ms integer)
RETURNS TABLE (id bigint, municipality_code char(6), payload jsonb, attempts integer, max_attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE kernel_job j SET attempts = j.attempts + 1, locked_until = now() + make_interval(secs => p_lease_ms / 1000.0)
  WHERE j.id IN (
    SELECT k.id FROM kernel_job k
    WHERE k.queue = p_queue AND k.done_at IS NULL AND k.failed_at IS NULL AND k.run_at <= now()
      AND (k.locked_until IS NULL OR k.locked_until < now())
    ORDER BY k.run_at, k.id LIMIT p_limit FOR UPDATE SKIP LOCKED)
  RETURNING j.id, j.municipality_code, j.payload, j.attempts, j.max_attempts $$;
--> statement-breakpoint
-- Settles a claimed job: done, or failed this attempt (retried at p_retry_at, or given up when its
-- attempts are spent).
CREATE FUNCTION kazashi_job_settle(p_id bigint, p_ok boolean, p_error text, p_retry_at timestamptz)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE kernel_job SET locked_until = NULL,
    done_at = CASE WHEN p_ok THEN now() END,
    last_error = CASE WHEN p_ok THEN last_error ELSE left(p_error, 2000) END,
    failed_at = CASE WHEN NOT p_ok AND attempts >= max_attempts THEN now() END,
    run_at = CASE WHEN NOT p_ok THEN coalesce(p_retry_at, now()) ELSE run_at END
  WHERE id = p_id $$;
--> statement-breakpoint
-- Done jobs are kept a day (what ran and when), failed ones a week.
CREATE FUNCTION kazashi_job_purge() RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH gone AS (DELETE FROM kernel_job WHERE done_at < now() - interval '1 day' OR failed_at < now() - interval '7 days' RETURNING 1)
  SELECT count(*)::integer FROM gone $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_job_claim(text, integer, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_job_settle(bigint, boolean, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_job_purge() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_job_claim(text, integer, integer) TO kazashi_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_job_settle(bigint, boolean, text, timestamptz) TO kazashi_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_job_purge() TO kazashi_app;
