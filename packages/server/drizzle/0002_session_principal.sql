-- One round trip per authenticated request: the session and its staff member together.
CREATE FUNCTION kazashi_session_principal(p_token_hash text)
RETURNS TABLE (staff_id uuid, municipality_code char(6), login_name text, display_name text, roles text[], csrf_token text, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT a.id, a.municipality_code, a.login_name, a.display_name, a.roles, s.csrf_token, s.expires_at
   FROM staff_session s JOIN staff_account a ON a.id = s.staff_id
   WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND NOT a.disabled $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_session_principal(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_session_principal(text) TO kazashi_app;
--> statement-breakpoint
DROP FUNCTION kazashi_session_lookup(text);
