import { useTranslation } from 'react-i18next';
import { StaffLoginForm } from '../StaffLoginForm/StaffLoginForm';

/** The staff login that opens the kiosk (the staff login page's form, staying on /kiosk). */
export function KioskStaffLogin() {
  const { t } = useTranslation();

  return (
    <section aria-labelledby="kiosk-staff-login" className="mx-auto mt-6 max-w-lg">
      <h2 id="kiosk-staff-login" className="text-std-24B-150">
        {t('resident.kiosk.staffLoginTitle')}
      </h2>
      <p className="mt-2">{t('resident.kiosk.staffLoginLead')}</p>
      <StaffLoginForm idPrefix="kiosk-login" />
    </section>
  );
}
