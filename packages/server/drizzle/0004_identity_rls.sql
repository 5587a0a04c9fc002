-- Card-touch challenges are tenant rows like the others: the app role sees and writes only the rows of
-- the municipality it acts for (see 0001_rls_roles_audit.sql). DELETE is for purging expired challenges.
GRANT SELECT, INSERT, UPDATE, DELETE ON identity_challenge TO kazashi_app;
--> statement-breakpoint
ALTER TABLE identity_challenge ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY identity_challenge_tenant ON identity_challenge FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
