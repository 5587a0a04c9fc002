import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_IDS, type RoleId } from '../../../api/types';
import { useSession } from '../../../session/SessionContext';
import { isRoleId, roleLabel } from '../../../lib/localized';
import { CheckboxGroup } from '../../../components/Field/Field';

export interface RoleChoice {
  roles: RoleId[];
  setRoles: (roles: RoleId[]) => void;
  /** True after a submit without any role: RoleCheckboxes then shows 「権限を1つ以上選んでください。」. */
  missing: boolean;
  /** For useSubmit's `check`: flags (or clears) the missing-role alert; false when no role is chosen. */
  check: () => boolean;
}

/** The roles a staff form has chosen; an account needs at least one, which the browser cannot check. */
export function useRoleChoice(initial: RoleId[]): RoleChoice {
  const [roles, setRoles] = useState(initial);
  const [missing, setMissing] = useState(false);
  const check = () => {
    setMissing(roles.length === 0);
    return roles.length > 0;
  };
  return { roles, setRoles, missing, check };
}

export interface RoleCheckboxesProps {
  idPrefix: string;
  choice: RoleChoice;
  disabled?: boolean;
}

/** Role choices; only platform admins may grant platform_admin. */
export function RoleCheckboxes({ idPrefix, choice, disabled }: RoleCheckboxesProps) {
  const { t } = useTranslation();
  const { isPlatformAdmin } = useSession();
  const offered = ROLE_IDS.filter((r) => isPlatformAdmin || r !== 'platform_admin' || choice.roles.includes(r));
  return (
    <>
      <CheckboxGroup
        idPrefix={idPrefix}
        legend={t('staff.roles')}
        options={offered.map((r) => ({ value: r, label: roleLabel(t, r) }))}
        value={choice.roles}
        onChange={(v) => choice.setRoles(v.filter(isRoleId))}
        disabled={disabled}
      />
      {choice.missing && (
        <p role="alert" className="text-std-16B-170 text-error-2">
          {t('staff.rolesRequired')}
        </p>
      )}
    </>
  );
}
