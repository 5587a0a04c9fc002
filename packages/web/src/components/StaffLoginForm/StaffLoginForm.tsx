import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isProblemError } from '../../api/api';
import { useSubmit } from '../../hooks/useSubmit';
import { signedIn } from '../../session/auth';
import { TextField } from '../Field/Field';
import { SubmitButton } from '../Button/Button';
import { ProblemAlert } from '../ProblemAlert/ProblemAlert';

export interface StaffLoginFormProps {
  /** Prefix of the field ids (`${idPrefix}-name`, `-password`, `-totp`), unique on the page. */
  idPrefix: string;
  /** Whether the inputs carry `name` attributes (loginName, password, totp). */
  named?: boolean;
  /** After a successful login, once the session is known (e.g. navigate on). */
  onSignedIn?: () => void;
}

/**
 * The staff login form (POST /api/auth/login): login ID, password and TOTP code, with the API's
 * problem shown above. A missing or wrong TOTP code empties that field and puts the focus there;
 * after a successful login the password and code are cleared and the session state is updated.
 * Used by the staff login page and the kiosk's staff login.
 */
export function StaffLoginForm({ idPrefix, named = false, onSignedIn }: StaffLoginFormProps) {
  const { t } = useTranslation();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const { busy, error, submit } = useSubmit();
  const totpRef = useRef<HTMLInputElement>(null);

  const login = async () => {
    try {
      const code = totp.trim();
      const session = await api.login({ loginName: loginName.trim(), password, ...(code ? { totp: code } : {}) });
      setPassword('');
      setTotp('');
      signedIn(session);
      onSignedIn?.();
    } catch (err) {
      if (isProblemError(err) && (err.code === 'totp-required' || err.code === 'invalid-totp')) {
        setTotp('');
        totpRef.current?.focus();
      }
      throw err;
    }
  };

  return (
    <form onSubmit={(e) => submit(e, login)} className="mt-6 flex flex-col gap-6">
      <ProblemAlert error={error} />
      <TextField
        id={`${idPrefix}-name`}
        name={named ? 'loginName' : undefined}
        label={t('login.loginName')}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={loginName}
        onChange={(e) => setLoginName(e.currentTarget.value)}
      />
      <TextField
        id={`${idPrefix}-password`}
        name={named ? 'password' : undefined}
        type="password"
        label={t('login.password')}
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
      />
      <TextField
        ref={totpRef}
        id={`${idPrefix}-totp`}
        name={named ? 'totp' : undefined}
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
  );
}
