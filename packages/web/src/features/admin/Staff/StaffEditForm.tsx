import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffAccount } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { TextField } from '../../../components/Field/Field';
import { EditPanel } from '../../../components/EditPanel/EditPanel';
import { RoleCheckboxes, useRoleChoice } from './RoleCheckboxes';

export interface StaffEditFormProps {
  municipalityCode: string;
  staff: StaffAccount;
  onSaved: (s: StaffAccount) => void;
  onCancel: () => void;
}

export function StaffEditForm({ municipalityCode, staff, onSaved, onCancel }: StaffEditFormProps) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(staff.displayName);
  const roleChoice = useRoleChoice(staff.roles);
  const { busy, error, onSubmit } = useSubmit();

  const save = async () => {
    onSaved(await api.updateStaff(municipalityCode, staff.id, { displayName: displayName.trim(), roles: roleChoice.roles }));
  };

  return (
    <EditPanel
      headingId="edit-staff-title"
      title={t('staff.editTitle', { name: staff.displayName })}
      onSubmit={onSubmit(save, roleChoice.check)}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      <TextField
        id={`edit-staff-${staff.id}-name`}
        label={t('staff.displayName')}
        required
        autoComplete="off"
        value={displayName}
        onChange={(e) => setDisplayName(e.currentTarget.value)}
        wrapperClassName="md:max-w-md"
      />
      <RoleCheckboxes idPrefix={`edit-staff-${staff.id}-role`} choice={roleChoice} disabled={busy} />
    </EditPanel>
  );
}
