import { useTranslation } from 'react-i18next';
import { ROLE_IDS } from '../../../api/types';
import { useSession } from '../../../session/SessionContext';
import { roleLabel } from '../../../lib/localized';
import { CheckboxGroup } from '../../../components/Field/Field';

export interface RoleCheckboxesProps {
  idPrefix: string;
  value: string[];
  onChange: (roles: string[]) => void;
  disabled?: boolean;
}

/** Role choices; only platform admins may grant platform_admin. */
export function RoleCheckboxes({ idPrefix, value, onChange, disabled }: RoleCheckboxesProps) {
  const { t } = useTranslation();
  const { isPlatformAdmin } = useSession();
  const roles = ROLE_IDS.filter((r) => isPlatformAdmin || r !== 'platform_admin' || value.includes(r));
  return (
    <CheckboxGroup
      idPrefix={idPrefix}
      legend={t('staff.roles')}
      options={roles.map((r) => ({ value: r, label: roleLabel(t, r) }))}
      value={value}
      onChange={onChange}
      disabled={disabled}
    />
  );
}
