-- Tenant isolation, the app role, and the append-only audit trail.
-- The app never acts as the table owner: every request transaction runs `SET LOCAL ROLE kazashi_app`
-- and `set_config('app.municipality', <code>, true)`; the policies below read that setting.
-- RLS is ENABLEd (not FORCEd) so that the owner's SECURITY DEFINER functions can do the two
-- lookups that happen before a tenant is known (login, session).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kazashi_app') THEN
    CREATE ROLE kazashi_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kazashi_current_municipality() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.municipality', true), '') $$;
--> statement-breakpoint
CREATE FUNCTION kazashi_is_platform_admin() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('app.platform_admin', true), '') = 'on' $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON municipality, joint_use_group TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON joint_use_membership, staff_account, staff_session, resident TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_entry TO kazashi_app;
--> statement-breakpoint
GRANT SELECT ON audit_head TO kazashi_app;
--> statement-breakpoint
ALTER TABLE municipality ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY municipality_read ON municipality FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
CREATE POLICY municipality_insert ON municipality FOR INSERT TO kazashi_app
  WITH CHECK (kazashi_is_platform_admin() AND code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY municipality_update ON municipality FOR UPDATE TO kazashi_app
  USING (code = kazashi_current_municipality()) WITH CHECK (code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE joint_use_group ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY joint_use_group_read ON joint_use_group FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
CREATE POLICY joint_use_group_write ON joint_use_group FOR INSERT TO kazashi_app WITH CHECK (kazashi_is_platform_admin());
--> statement-breakpoint
CREATE POLICY joint_use_group_update ON joint_use_group FOR UPDATE TO kazashi_app USING (kazashi_is_platform_admin());
--> statement-breakpoint
ALTER TABLE joint_use_membership ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY joint_use_membership_read ON joint_use_membership FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
CREATE POLICY joint_use_membership_insert ON joint_use_membership FOR INSERT TO kazashi_app
  WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY joint_use_membership_update ON joint_use_membership FOR UPDATE TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY joint_use_membership_delete ON joint_use_membership FOR DELETE TO kazashi_app
  USING (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE staff_account ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY staff_account_tenant ON staff_account FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE staff_session ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY staff_session_tenant ON staff_session FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE resident ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY resident_tenant ON resident FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_entry_read ON audit_entry FOR SELECT TO kazashi_app USING (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY audit_entry_insert ON audit_entry FOR INSERT TO kazashi_app WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE audit_head ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_head_read ON audit_head FOR SELECT TO kazashi_app USING (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE FUNCTION kazashi_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION kazashi_audit_append_only();
--> statement-breakpoint
CREATE FUNCTION kazashi_audit_move_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO audit_head (municipality_code, seq, hash) VALUES (NEW.municipality_code, NEW.seq, NEW.hash)
  ON CONFLICT (municipality_code) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash
  WHERE audit_head.seq < EXCLUDED.seq;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_entry_move_head AFTER INSERT ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION kazashi_audit_move_head();
--> statement-breakpoint
-- Before login the tenant is unknown: these return only the id and the municipality to act as.
CREATE FUNCTION kazashi_staff_login_lookup(p_login text) RETURNS TABLE (staff_id uuid, municipality_code char(6))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT id, municipality_code FROM staff_account WHERE login_name = p_login $$;
--> statement-breakpoint
CREATE FUNCTION kazashi_session_lookup(p_token_hash text) RETURNS TABLE (staff_id uuid, municipality_code char(6))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT staff_id, municipality_code FROM staff_session WHERE token_hash = p_token_hash AND expires_at > now() $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_staff_login_lookup(text), kazashi_session_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_staff_login_lookup(text), kazashi_session_lookup(text) TO kazashi_app;
