import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffCreated } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { FormSection } from '../../../components/FormSection/FormSection';
import { TextField } from '../../../components/Field/Field';
import { RoleCheckboxes, useRoleChoice } from './RoleCheckboxes';

export interface StaffCreateFormProps {
  municipalityCode: string;
  onCreated: (c: StaffCreated) => void;
  onBeforeWrite: () => void;
}

export function StaffCreateForm({ municipalityCode, onCreated, onBeforeWrite }: StaffCreateFormProps) {
  const { t } = useTranslation();
  const [loginName, setLoginName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const roleChoice = useRoleChoice([]);
  const { busy, error, onSubmit } = useSubmit();

  const create = async () => {
    onBeforeWrite();
    const created = await api.createStaff(municipalityCode, {
      loginName: loginName.trim(),
      displayName: displayName.trim(),
      roles: roleChoice.roles,
      password,
    });
    setLoginName('');
    setDisplayName('');
    setPassword('');
    roleChoice.setRoles([]);
    onCreated(created);
  };

  return (
    <FormSection
      title={t('staff.createTitle')}
      onSubmit={onSubmit(create, roleChoice.check)}
      busy={busy}
      error={error}
      submitLabel={t('staff.createSubmit')}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          id="new-staff-login"
          label={t('staff.loginName')}
          required
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={loginName}
          onChange={(e) => setLoginName(e.currentTarget.value)}
        />
        <TextField
          id="new-staff-name"
          label={t('staff.displayName')}
          required
          autoComplete="off"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
        />
      </div>
      <TextField
        id="new-staff-password"
        type="password"
        label={t('staff.password')}
        hint={t('staff.passwordHint')}
        required
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        wrapperClassName="md:max-w-md"
      />
      <RoleCheckboxes idPrefix="new-staff-role" choice={roleChoice} disabled={busy} />
    </FormSection>
  );
}
