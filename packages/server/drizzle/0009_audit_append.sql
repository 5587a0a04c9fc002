-- Appending to a municipality's audit chain in one statement. The chain lock is held until the
-- caller's transaction commits (entries must enter the chain in commit order), so the fewer round
-- trips after taking it, the more accesses per second one municipality can record.
-- The hash is sha256(prev_hash ‖ "\n" ‖ seq ‖ "\n" ‖ canonical entry), the same as entryHash() in
-- src/audit/chain.ts; the canonical JSON of the entry is built by the application.
CREATE FUNCTION kazashi_audit_append(
  p_code char(6), p_at timestamptz, p_actor text, p_action text, p_resident uuid, p_purpose text,
  p_categories text[], p_fields text[], p_request_id text, p_canonical text
) RETURNS TABLE (out_seq bigint, out_prev_hash text, out_hash text) LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit:' || p_code));
  SELECT a.seq, a.hash INTO v_seq, v_prev FROM audit_entry a WHERE a.municipality_code = p_code ORDER BY a.seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_canonical, 'UTF8')), 'hex');
  INSERT INTO audit_entry (municipality_code, seq, at, actor, action, resident_id, purpose, categories, fields, request_id, prev_hash, hash)
  VALUES (p_code, v_seq, p_at, p_actor, p_action, p_resident, p_purpose, p_categories, p_fields, p_request_id, v_prev, v_hash);
  RETURN QUERY SELECT v_seq, v_prev, v_hash;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_audit_append(char, timestamptz, text, text, uuid, text, text[], text[], text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_audit_append(char, timestamptz, text, text, uuid, text, text[], text[], text, text) TO kazashi_app;
