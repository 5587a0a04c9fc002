-- A check-in of the host's own resident needs no joint-use lookup: the policy says so first, so the
-- SECURITY DEFINER function (which cannot be inlined) runs only for a partner's resident. Same rule.
DROP POLICY shelter_stay_insert ON shelter_stay;
--> statement-breakpoint
CREATE POLICY shelter_stay_insert ON shelter_stay FOR INSERT TO kazashi_app
  WITH CHECK (municipality_code = kazashi_current_municipality()
    AND (evacuee_municipality_code = municipality_code
      OR kazashi_shelter_partners(evacuee_municipality_code::text, municipality_code::text)));
--> statement-breakpoint
-- People present ('in') per shelter, kept by statement-level triggers on shelter_stay, so a check-in's
-- capacity check reads one row instead of counting a filling shelter's stays (that count grew with
-- every check-in). Check-ins lock the shelter row first, so the number read is never behind a
-- committed check-in. Written only by the triggers (as the owner); readable like the registry.
CREATE TABLE shelter_occupancy (
  shelter_id uuid PRIMARY KEY,
  present integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO shelter_occupancy (shelter_id, present)
  SELECT shelter_id, count(*) FROM shelter_stay WHERE status = 'in' AND shelter_id IS NOT NULL GROUP BY shelter_id;
--> statement-breakpoint
ALTER TABLE shelter_occupancy ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shelter_occupancy_read ON shelter_occupancy FOR SELECT TO kazashi_app USING (true);
--> statement-breakpoint
GRANT SELECT ON shelter_occupancy TO kazashi_app;
--> statement-breakpoint
-- One upsert per statement, in shelter order (two writers never wait on each other in a circle).
CREATE FUNCTION kazashi_shelter_occupancy_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO shelter_occupancy AS o (shelter_id, present)
      SELECT shelter_id, count(*)::int FROM new_stays WHERE status = 'in' AND shelter_id IS NOT NULL
      GROUP BY shelter_id ORDER BY shelter_id
    ON CONFLICT (shelter_id) DO UPDATE SET present = o.present + excluded.present;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO shelter_occupancy AS o (shelter_id, present)
      SELECT shelter_id, sum(d)::int FROM (
        SELECT shelter_id, 1 AS d FROM new_stays WHERE status = 'in' AND shelter_id IS NOT NULL
        UNION ALL
        SELECT shelter_id, -1 FROM old_stays WHERE status = 'in' AND shelter_id IS NOT NULL) x
      GROUP BY shelter_id HAVING sum(d) <> 0 ORDER BY shelter_id
    ON CONFLICT (shelter_id) DO UPDATE SET present = o.present + excluded.present;
  ELSE
    INSERT INTO shelter_occupancy AS o (shelter_id, present)
      SELECT shelter_id, -count(*)::int FROM old_stays WHERE status = 'in' AND shelter_id IS NOT NULL
      GROUP BY shelter_id ORDER BY shelter_id
    ON CONFLICT (shelter_id) DO UPDATE SET present = o.present + excluded.present;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_shelter_occupancy_apply() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER shelter_stay_occupancy_insert AFTER INSERT ON shelter_stay
  REFERENCING NEW TABLE AS new_stays FOR EACH STATEMENT EXECUTE FUNCTION kazashi_shelter_occupancy_apply();
--> statement-breakpoint
CREATE TRIGGER shelter_stay_occupancy_update AFTER UPDATE ON shelter_stay
  REFERENCING OLD TABLE AS old_stays NEW TABLE AS new_stays FOR EACH STATEMENT EXECUTE FUNCTION kazashi_shelter_occupancy_apply();
--> statement-breakpoint
CREATE TRIGGER shelter_stay_occupancy_delete AFTER DELETE ON shelter_stay
  REFERENCING OLD TABLE AS old_stays FOR EACH STATEMENT EXECUTE FUNCTION kazashi_shelter_occupancy_apply();
