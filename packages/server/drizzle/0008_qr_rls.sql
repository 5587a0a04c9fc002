-- Used QR token ids and static QR cards are tenant rows: the app role sees and writes only the rows
-- of the municipality it acts for (see 0001_rls_roles_audit.sql). A used jti is never updated (that
-- would reopen a replay); a card is revoked, never deleted.
GRANT SELECT, INSERT ON qr_token_use TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON qr_card TO kazashi_app;
--> statement-breakpoint
ALTER TABLE qr_token_use ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY qr_token_use_tenant ON qr_token_use FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE qr_card ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY qr_card_tenant ON qr_card FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
