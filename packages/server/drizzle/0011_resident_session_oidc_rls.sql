-- Resident sessions and OIDC clients are tenant rows (see 0001_rls_roles_audit.sql). A session is
-- ended, never deleted by the app, so the audit trail can always point at it.
GRANT SELECT, INSERT, UPDATE ON resident_session TO kazashi_app;
--> statement-breakpoint
ALTER TABLE resident_session ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY resident_session_tenant ON resident_session FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON oidc_client TO kazashi_app;
--> statement-breakpoint
ALTER TABLE oidc_client ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY oidc_client_tenant ON oidc_client FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
-- The provider's own state is platform-wide (one issuer); it holds only pseudonymous account ids.
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_payload TO kazashi_app;
--> statement-breakpoint
-- Pre-tenant lookup of a resident session by its token hash: one round trip per request, like
-- kazashi_session_principal for staff. Only live sessions of active residents are returned.
CREATE FUNCTION kazashi_resident_session_principal(p_token_hash text)
RETURNS TABLE (session_id uuid, municipality_code char(6), resident_id uuid, resident_number char(6), acr text, channel text,
               csrf_token text, auth_time timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT s.id, s.municipality_code, s.resident_id, r.resident_number, s.acr, s.channel, s.csrf_token, s.created_at, s.expires_at
   FROM resident_session s JOIN resident r ON r.id = s.resident_id
   WHERE s.token_hash = p_token_hash AND s.ended_at IS NULL AND s.expires_at > now() AND r.status = 'active' $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_resident_session_principal(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_resident_session_principal(text) TO kazashi_app;
--> statement-breakpoint
-- Pre-tenant lookup of a client by id for the OIDC provider (it does not know the municipality yet).
CREATE FUNCTION kazashi_oidc_client(p_client_id text)
RETURNS SETOF oidc_client
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT * FROM oidc_client WHERE client_id = p_client_id AND disabled_at IS NULL $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_oidc_client(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_oidc_client(text) TO kazashi_app;
