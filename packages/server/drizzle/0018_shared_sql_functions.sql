-- Each domain's tables are read by its own code and its own SQL functions only (issue 13). The
-- shelter policies and functions read other domains' tables directly (joint_use_membership,
-- card_binding, resident); now each owner offers one documented function and the shelter ones call it.

-- Municipality domain: whether two municipalities share a joint-use group in which both joined
-- `p_service` (the same municipality always does). The one answer to "may A serve B's residents?".
CREATE FUNCTION kazashi_joint_use_partners(a text, b text, p_service text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT a = b OR EXISTS (
     SELECT 1 FROM joint_use_membership x JOIN joint_use_membership y ON y.group_id = x.group_id
     WHERE x.municipality_code = a AND y.municipality_code = b
       AND p_service = ANY (x.services) AND p_service = ANY (y.services)) $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_joint_use_partners(text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_joint_use_partners(text, text, text) TO kazashi_app;
--> statement-breakpoint
-- Resident domain: whether a resident is active (a moved-out or deceased resident's card opens nothing).
CREATE FUNCTION kazashi_resident_active(p_resident uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT EXISTS (SELECT 1 FROM resident r WHERE r.id = p_resident AND r.status = 'active') $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_resident_active(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_resident_active(uuid) TO kazashi_app;
--> statement-breakpoint
-- Identity domain: the municipality and resident an active card is bound to, whatever the tenant
-- asking (a joint-use kiosk touches a partner's card); the caller checks the partnership.
CREATE FUNCTION kazashi_card_holder(p_card_key text)
RETURNS TABLE (municipality_code char(6), resident_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT b.municipality_code, b.resident_id FROM card_binding b
   WHERE b.card_key = p_card_key AND b.status = 'active' AND kazashi_resident_active(b.resident_id) $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kazashi_card_holder(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kazashi_card_holder(text) TO kazashi_app;
--> statement-breakpoint
-- Shelter domain: its two functions now ask the owners.
CREATE OR REPLACE FUNCTION kazashi_shelter_partners(a text, b text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT kazashi_joint_use_partners(a, b, 'shelter') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kazashi_card_home(p_card_key text)
RETURNS TABLE (municipality_code char(6), resident_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT * FROM kazashi_card_holder(p_card_key) $$;
