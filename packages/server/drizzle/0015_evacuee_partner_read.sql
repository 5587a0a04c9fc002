-- A joint-use partner reads a consenting evacuee's record only while the person stays with it (in a
-- shelter of the partner, present or briefly out): the card touch or QR that checked the person in
-- is the consent of that moment. Before, any consenting partner's resident could be read, and so
-- checked in, by raw id at any time (issue 12).
DROP POLICY evacuee_joint_use ON evacuee;
--> statement-breakpoint
CREATE POLICY evacuee_joint_use ON evacuee FOR SELECT TO kazashi_app
  USING (consent_joint_use
    AND municipality_code <> kazashi_current_municipality()
    AND EXISTS (SELECT 1 FROM shelter_stay s
                WHERE s.evacuee_id = evacuee.id AND s.status IN ('in', 'out')
                  AND s.municipality_code = kazashi_current_municipality())
    AND kazashi_shelter_partners(municipality_code::text, kazashi_current_municipality()));
