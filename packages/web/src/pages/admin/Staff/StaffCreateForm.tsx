import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffCreated } from '../../../api/types';
import { Section } from '../../../components/Section/Section';
import { TextField } from '../../../components/Field/Field';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { RoleCheckboxes } from './RoleCheckboxes';

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
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [rolesError, setRolesError] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (roles.length === 0) {
      setRolesError(true);
      return;
    }
    setRolesError(false);
    onBeforeWrite();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createStaff(municipalityCode, {
        loginName: loginName.trim(),
        displayName: displayName.trim(),
        roles,
        password,
      });
      setLoginName('');
      setDisplayName('');
      setPassword('');
      setRoles([]);
      onCreated(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('staff.createTitle')}>
      <form onSubmit={submit} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <ProblemAlert error={error} />
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
        <RoleCheckboxes idPrefix="new-staff-role" value={roles} onChange={setRoles} disabled={busy} />
        {rolesError && (
          <p role="alert" className="text-std-16B-170 text-error-2">
            {t('staff.rolesRequired')}
          </p>
        )}
        <Button type="submit" disabled={busy} className="self-start">
          {busy ? t('common.saving') : t('staff.createSubmit')}
        </Button>
      </form>
    </Section>
  );
}
