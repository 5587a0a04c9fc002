-- The audit chain off the request path (issue 13). Before, every audited request appended to its
-- municipality's hash chain under pg_advisory_xact_lock held until the request committed, across
-- its remaining round trips: one municipality's audited requests ran one at a time. Now a request
-- only INSERTs its entry into audit_pending, in its own transaction (committed or rolled back with
-- the access it records, as before); a sealer (kazashi_audit_seal, one at a time per municipality)
-- moves committed entries into audit_entry moments later, assigning seq, prev_hash and hash in the
-- order it finds them. The hash is computed exactly as before (sha256(prev ‖ "\n" ‖ seq ‖ "\n" ‖
-- canonical entry)), so `kazashi audit verify` and old chains are unchanged.
CREATE TABLE audit_pending (
  id bigserial PRIMARY KEY,
  municipality_code char(6) NOT NULL REFERENCES municipality(code),
  at timestamp(3) with time zone NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  resident_id uuid,
  purpose text NOT NULL,
  categories text[] NOT NULL,
  fields text[] NOT NULL,
  request_id text NOT NULL,
  -- The canonical JSON the application built (chain.ts canonicalEntry); verification recomputes it
  -- from the sealed columns, so an entry altered while pending is caught as a hash mismatch.
  canonical text NOT NULL
);
--> statement-breakpoint
CREATE INDEX audit_pending_code_idx ON audit_pending (municipality_code, id);
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_pending TO kazashi_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE audit_pending_id_seq TO kazashi_app;
--> statement-breakpoint
ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_pending_read ON audit_pending FOR SELECT TO kazashi_app USING (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY audit_pending_insert ON audit_pending FOR INSERT TO kazashi_app WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
-- Pending entries are never edited; only the sealer (as the owner) removes them, as it seals them.
CREATE FUNCTION kazashi_audit_pending_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_pending entries are not edited' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_pending_immutable BEFORE UPDATE ON audit_pending
  FOR EACH ROW EXECUTE FUNCTION kazashi_audit_pending_immutable();
--> statement-breakpoint
-- Only the sealer writes the chain now: the app role can no longer insert a sealed entry itself.
REVOKE INSERT ON audit_entry FROM kazashi_app;
--> statement-breakpoint
DROP FUNCTION kazashi_audit_append(char, timestamptz, text, text, uuid, text, text[], text[], text, text);
--> statement-breakpoint
-- Seals up to p_limit committed pending entries of one municipality, in id order; returns how many.
-- Sealers of one municipality take turns (the lock is held for this statement only, never across a
-- request); other municipalities' sealers run alongside.
CREATE FUNCTION kazashi_audit_seal(p_code char(6), p_limit integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_ids bigint[] := '{}';
  r audit_pending%ROWTYPE;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit:' || p_code));
  SELECT h.seq, h.hash INTO v_seq, v_prev FROM audit_head h WHERE h.municipality_code = p_code;
  v_seq := coalesce(v_seq, 0);
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR r IN SELECT * FROM audit_pending p WHERE p.municipality_code = p_code ORDER BY p.id LIMIT p_limit LOOP
    v_seq := v_seq + 1;
    INSERT INTO audit_entry (municipality_code, seq, at, actor, action, resident_id, purpose, categories, fields, request_id, prev_hash, hash)
    VALUES (p_code, v_seq, r.at, r.actor, r.action, r.resident_id, r.purpose, r.categories, r.fields, r.request_id, v_prev,
            encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || r.canonical, 'UTF8')), 'hex'))
    RETURNING hash INTO v_prev;
    v_ids := v_ids || r.id;
  END LOOP;
  DELETE FROM audit_pending WHERE id = ANY (v_ids);
  RETURN coalesce(array_length(v_ids, 1), 0);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_audit_seal(char, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_audit_seal(char, integer) TO kazashi_app;
--> statement-breakpoint
-- Which municipalities have entries waiting (the sealer's sweep, which acts for no tenant).
CREATE FUNCTION kazashi_audit_pending_codes() RETURNS TABLE (municipality_code char(6), waiting bigint, oldest timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT municipality_code, count(*), min(at) FROM audit_pending GROUP BY municipality_code $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_audit_pending_codes() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_audit_pending_codes() TO kazashi_app;
--> statement-breakpoint
-- Sealed and pending entries as one read model (search, a resident's access log). security_invoker:
-- the reader's own row-level security applies, as on the tables.
CREATE VIEW audit_trail WITH (security_invoker = true) AS
  SELECT municipality_code, seq, NULL::bigint AS pending_id, at, actor, action, resident_id, purpose, categories, fields, request_id, hash, true AS sealed
    FROM audit_entry
  UNION ALL
  SELECT municipality_code, NULL::bigint, id, at, actor, action, resident_id, purpose, categories, fields, request_id, NULL::text, false
    FROM audit_pending;
--> statement-breakpoint
GRANT SELECT ON audit_trail TO kazashi_app;
