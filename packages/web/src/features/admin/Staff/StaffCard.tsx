import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffAccount } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { formatDateTime, isFutureInstant } from '../../../lib/format';
import { roleLabel, useLang } from '../../../lib/localized';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

export interface StaffCardProps {
  municipalityCode: string;
  staff: StaffAccount;
  editing: boolean;
  onEdit: () => void;
  onChanged: (s: StaffAccount, message: string) => void;
  onBeforeWrite: () => void;
}

/** One staff account with its state and the edit / disable / unlock actions. */
export function StaffCard({ municipalityCode, staff: s, editing, onEdit, onChanged, onBeforeWrite }: StaffCardProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { busy, error, run } = useSubmit();
  const locked = isFutureInstant(s.lockedUntil);

  const change = (action: () => Promise<StaffAccount>, message: (s: StaffAccount) => string) =>
    run(async () => {
      onBeforeWrite();
      const updated = await action();
      onChanged(updated, message(updated));
    });

  const toggleDisabled = () =>
    change(
      () => api.updateStaff(municipalityCode, s.id, { disabled: !s.disabled }),
      (u) => t(u.disabled ? 'staff.disabledDone' : 'staff.enabledDone', { name: u.displayName }),
    );
  const unlock = () =>
    change(
      () => api.unlockStaff(municipalityCode, s.id),
      (u) => t('staff.unlocked', { name: u.displayName }),
    );

  return (
    <article className={`h-full rounded-12 border p-4 ${s.disabled ? 'border-solid-gray-300 bg-solid-gray-50' : 'border-solid-gray-420'}`}>
      <h3 className="text-std-20B-150">{s.displayName}</h3>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-dns-16N-130">
        <dt className="text-solid-gray-700">{t('staff.loginName')}</dt>
        <dd className="font-mono">{s.loginName}</dd>
        <dt className="text-solid-gray-700">{t('staff.roles')}</dt>
        <dd>{s.roles.map((r) => roleLabel(t, r)).join(lang === 'en' ? ', ' : '、') || t('common.none')}</dd>
        <dt className="text-solid-gray-700">{t('staff.totp')}</dt>
        <dd>{s.totpEnrolled ? t('staff.totpEnrolled') : t('staff.totpNotEnrolled')}</dd>
        <dt className="text-solid-gray-700">{t('staff.status')}</dt>
        <dd>
          <span className={s.disabled ? 'font-bold text-error-2' : ''}>
            {s.disabled ? t('staff.disabled') : t('staff.active')}
          </span>
          {locked && (
            <span className="mt-1 block font-bold text-warning-orange-2">
              {t('staff.lockedUntil', { time: formatDateTime(s.lockedUntil, lang) })}
            </span>
          )}
        </dd>
      </dl>
      <ProblemAlert error={error} className="mt-3" />
      <div className="mt-4 flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={onEdit}
          aria-expanded={editing}
          aria-label={t('staff.editLabel', { name: s.displayName })}
          disabled={busy}
        >
          {t('common.edit')}
        </Button>
        <Button
          variant={s.disabled ? 'secondary' : 'danger'}
          onClick={toggleDisabled}
          aria-label={t(s.disabled ? 'staff.enableLabel' : 'staff.disableLabel', { name: s.displayName })}
          disabled={busy}
        >
          {s.disabled ? t('staff.enable') : t('staff.disable')}
        </Button>
        {s.lockedUntil !== null && (
          <Button
            variant="secondary"
            onClick={unlock}
            aria-label={t('staff.unlockLabel', { name: s.displayName })}
            disabled={busy}
          >
            {t('staff.unlock')}
          </Button>
        )}
      </div>
    </article>
  );
}
