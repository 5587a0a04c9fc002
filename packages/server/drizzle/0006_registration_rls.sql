-- Card bindings and consent records are tenant rows: the app role sees and writes only the rows of
-- the municipality it acts for (see 0001_rls_roles_audit.sql). Neither is ever deleted: a binding
-- ends (suspended, replaced) and a consent is withdrawn, so the history stays.
GRANT SELECT, INSERT, UPDATE ON card_binding, consent_record TO kazashi_app;
--> statement-breakpoint
ALTER TABLE card_binding ADD CONSTRAINT card_binding_status_check CHECK (status IN ('active', 'suspended', 'replaced'));
--> statement-breakpoint
ALTER TABLE card_binding ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY card_binding_tenant ON card_binding FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE consent_record ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consent_record_tenant ON consent_record FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
