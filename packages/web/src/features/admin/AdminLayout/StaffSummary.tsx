import { useTranslation } from 'react-i18next';
import { api, isProblemError } from '../../../api/api';
import { useSubmit } from '../../../hooks/useSubmit';
import { signedOut } from '../../../session/auth';
import { useSession } from '../../../session/SessionContext';
import { localName, roleLabel, useLang, withCode } from '../../../lib/localized';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

/** Who is signed in (name, municipality, roles) and the logout button. */
export function StaffSummary() {
  const { t } = useTranslation();
  const lang = useLang();
  const { staff, municipalities } = useSession();
  const { busy, error, run } = useSubmit();

  const municipality = municipalities?.find((m) => m.code === staff.municipalityCode);
  const municipalityName = municipality ? withCode(localName(municipality, lang), municipality.code, lang) : staff.municipalityCode;

  const logout = () =>
    run(async () => {
      try {
        await api.logout();
      } catch (e) {
        // 401: the session had already ended, which is what we wanted.
        if (!(isProblemError(e) && e.status === 401)) throw e;
      }
      signedOut(); // AdminLayout then goes to the login page
    });

  return (
    <section aria-labelledby="staff-summary-title" className="rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-4">
      <h2 id="staff-summary-title" className="text-std-17B-170">
        {t('admin.signedInAs')}
      </h2>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-dns-16N-130">
        <dt className="text-solid-gray-700">{t('admin.staffName')}</dt>
        <dd className="font-bold" data-testid="staff-name">
          {staff.displayName}
        </dd>
        <dt className="text-solid-gray-700">{t('admin.municipality')}</dt>
        <dd data-testid="staff-municipality">{municipalityName}</dd>
        <dt className="text-solid-gray-700">{t('admin.roles')}</dt>
        <dd data-testid="staff-roles">
          <ul>
            {staff.roles.map((r) => (
              <li key={r}>{roleLabel(t, r)}</li>
            ))}
          </ul>
        </dd>
      </dl>
      <ProblemAlert error={error} className="mt-3" />
      <Button variant="secondary" onClick={logout} disabled={busy} className="mt-4 w-full">
        {busy ? t('admin.loggingOut') : t('admin.logout')}
      </Button>
    </section>
  );
}
