import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffAccount } from '../../../api/types';
import { TextField } from '../../../components/Field/Field';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { RoleCheckboxes } from './RoleCheckboxes';

export interface StaffEditFormProps {
  municipalityCode: string;
  staff: StaffAccount;
  onSaved: (s: StaffAccount) => void;
  onCancel: () => void;
}

export function StaffEditForm({ municipalityCode, staff, onSaved, onCancel }: StaffEditFormProps) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(staff.displayName);
  const [roles, setRoles] = useState<string[]>(staff.roles);
  const [error, setError] = useState<unknown>(undefined);
  const [rolesError, setRolesError] = useState(false);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (roles.length === 0) {
      setRolesError(true);
      return;
    }
    setRolesError(false);
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.updateStaff(municipalityCode, staff.id, { displayName: displayName.trim(), roles }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="edit-staff-title" className="mt-8 rounded-12 border-2 border-blue-900 p-4">
      <h2 id="edit-staff-title" ref={headingRef} tabIndex={-1} className="text-std-24B-150">
        {t('staff.editTitle', { name: staff.displayName })}
      </h2>
      <form onSubmit={submit} className="mt-4 flex flex-col gap-4">
        <ProblemAlert error={error} />
        <TextField
          id={`edit-staff-${staff.id}-name`}
          label={t('staff.displayName')}
          required
          autoComplete="off"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          wrapperClassName="md:max-w-md"
        />
        <RoleCheckboxes idPrefix={`edit-staff-${staff.id}-role`} value={roles} onChange={setRoles} disabled={busy} />
        {rolesError && (
          <p role="alert" className="text-std-16B-170 text-error-2">
            {t('staff.rolesRequired')}
          </p>
        )}
        <div className="flex flex-wrap gap-3">
          <Button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
