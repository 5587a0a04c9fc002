import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isProblemError } from '../../api/api';
import { useSubmit } from '../../hooks/useSubmit';
import { signedIn } from '../../session/auth';
import { TextField } from '../../components/Field/Field';
import { SubmitButton } from '../../components/Button/Button';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';

/** The staff login that opens the kiosk (same API and fields as the staff login page, staying on /kiosk). */
export function KioskStaffLogin() {
  const { t } = useTranslation();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const { busy, error, onSubmit } = useSubmit();
  const totpRef = useRef<HTMLInputElement>(null);

  const login = async () => {
    try {
      const code = totp.trim();
      const session = await api.login({ loginName: loginName.trim(), password, ...(code ? { totp: code } : {}) });
      setPassword('');
      setTotp('');
      signedIn(session.staff);
    } catch (err) {
      if (isProblemError(err) && (err.code === 'totp-required' || err.code === 'invalid-totp')) {
        setTotp('');
        totpRef.current?.focus();
      }
      throw err;
    }
  };

  return (
    <section aria-labelledby="kiosk-staff-login" className="mx-auto mt-6 max-w-lg">
      <h2 id="kiosk-staff-login" className="text-std-24B-150">
        {t('resident.kiosk.staffLoginTitle')}
      </h2>
      <p className="mt-2">{t('resident.kiosk.staffLoginLead')}</p>
      <form onSubmit={onSubmit(login)} className="mt-6 flex flex-col gap-6">
        <ProblemAlert error={error} />
        <TextField
          id="kiosk-login-name"
          label={t('login.loginName')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={loginName}
          onChange={(e) => setLoginName(e.currentTarget.value)}
        />
        <TextField
          id="kiosk-login-password"
          type="password"
          label={t('login.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <TextField
          ref={totpRef}
          id="kiosk-login-totp"
          label={t('login.totp')}
          hint={t('login.totpHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          value={totp}
          onChange={(e) => setTotp(e.currentTarget.value.replace(/[^0-9]/g, ''))}
          className="max-w-48 font-mono tracking-[0.2em]"
        />
        <SubmitButton busy={busy} busyLabel={t('login.submitting')} className="min-h-14 w-full sm:w-auto sm:self-start sm:px-10">
          {t('login.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}
