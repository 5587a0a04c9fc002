-- Shelter operations under row-level security (see 0001_rls_roles_audit.sql for the roles).
-- The shelter registry and declared disasters are open data: every municipality may read them (the
-- public congestion page, joint-use transfers, safety-search answers); only the owner writes.
GRANT SELECT, INSERT, UPDATE ON shelter, disaster TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON shelter_status_event TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON evacuee, shelter_stay, supply_request TO kazashi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON stay_movement TO kazashi_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE shelter_status_event_id_seq, stay_movement_id_seq TO kazashi_app;
--> statement-breakpoint
ALTER TABLE shelter ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shelter_read ON shelter FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
CREATE POLICY shelter_insert ON shelter FOR INSERT TO kazashi_app WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY shelter_update ON shelter FOR UPDATE TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE disaster ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY disaster_read ON disaster FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
CREATE POLICY disaster_insert ON disaster FOR INSERT TO kazashi_app WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY disaster_update ON disaster FOR UPDATE TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE shelter_status_event ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shelter_status_event_tenant ON shelter_status_event FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
-- Whether two municipalities share a joint-use group in which both joined the shelter service.
CREATE FUNCTION kazashi_shelter_partners(a text, b text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT a = b OR EXISTS (
     SELECT 1 FROM joint_use_membership x JOIN joint_use_membership y ON y.group_id = x.group_id
     WHERE x.municipality_code = a AND y.municipality_code = b
       AND 'shelter' = ANY (x.services) AND 'shelter' = ANY (y.services)) $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_shelter_partners(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_shelter_partners(text, text) TO kazashi_app;
--> statement-breakpoint
-- An evacuee record belongs to the municipality that registered it. A joint-use partner's shelter
-- reads it only when the person consented to sharing with joint-use municipalities.
ALTER TABLE evacuee ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY evacuee_own ON evacuee FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY evacuee_joint_use ON evacuee FOR SELECT TO kazashi_app
  USING (consent_joint_use AND kazashi_shelter_partners(municipality_code::text, kazashi_current_municipality()));
--> statement-breakpoint
-- A stay is seen by its host (the shelter's municipality: whoever is in its shelters) and by the
-- evacuee's own municipality (its residents wherever they are). Only the host writes it, and only
-- for its own residents or a joint-use partner's.
ALTER TABLE shelter_stay ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shelter_stay_read ON shelter_stay FOR SELECT TO kazashi_app
  USING (municipality_code = kazashi_current_municipality() OR evacuee_municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY shelter_stay_insert ON shelter_stay FOR INSERT TO kazashi_app
  WITH CHECK (municipality_code = kazashi_current_municipality()
    AND kazashi_shelter_partners(evacuee_municipality_code::text, municipality_code::text));
--> statement-breakpoint
CREATE POLICY shelter_stay_update ON shelter_stay FOR UPDATE TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE stay_movement ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY stay_movement_read ON stay_movement FOR SELECT TO kazashi_app
  USING (municipality_code = kazashi_current_municipality() OR evacuee_municipality_code = kazashi_current_municipality());
--> statement-breakpoint
CREATE POLICY stay_movement_insert ON stay_movement FOR INSERT TO kazashi_app
  WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
ALTER TABLE supply_request ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY supply_request_tenant ON supply_request FOR ALL TO kazashi_app
  USING (municipality_code = kazashi_current_municipality()) WITH CHECK (municipality_code = kazashi_current_municipality());
--> statement-breakpoint
-- Which municipality an active card is bound in: a joint-use shelter kiosk touches a card that may
-- belong to a partner. Returns the card key's binding only; the caller checks the partnership.
CREATE FUNCTION kazashi_card_home(p_card_key text)
RETURNS TABLE (municipality_code char(6), resident_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT b.municipality_code, b.resident_id FROM card_binding b JOIN resident r ON r.id = b.resident_id
   WHERE b.card_key = p_card_key AND b.status = 'active' AND r.status = 'active' $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_card_home(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_card_home(text) TO kazashi_app;
--> statement-breakpoint
-- Safety search (安否確認): people matching one of the keyed name+birth-date hashes, in the given
-- municipalities, who consented to tell inquirers and are not under DV protection, with a live stay.
-- The searcher is told only where and since when; the found person's own municipality and resident id
-- come back so that the person's audit trail records that an inquirer was told.
CREATE FUNCTION kazashi_safety_search(p_keys text[], p_codes text[])
RETURNS TABLE (municipality_code char(6), place text, shelter_id uuid, shelter_name_ja text, shelter_name_en text, since timestamptz,
               evacuee_municipality_code char(6), evacuee_resident_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT s.municipality_code, s.place, s.shelter_id, sh.name_ja, sh.name_en, s.checked_in_at, e.municipality_code, e.resident_id
   FROM evacuee e
   JOIN shelter_stay s ON s.evacuee_id = e.id AND s.status IN ('in', 'out')
   LEFT JOIN shelter sh ON sh.id = s.shelter_id
   WHERE e.search_keys && p_keys AND e.municipality_code = ANY (p_codes)
     AND e.consent_inquiry AND NOT e.dv_protected AND e.removed_at IS NULL
   LIMIT 5 $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_safety_search(text[], text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_safety_search(text[], text[]) TO kazashi_app;
