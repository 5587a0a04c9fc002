import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isProblemError } from '../../api/api';
import { useSubmit } from '../../hooks/useSubmit';
import { signedIn } from '../../session/auth';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { TextField } from '../../components/Field/Field';
import { SubmitButton } from '../../components/Button/Button';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const { busy, error, onSubmit } = useSubmit();
  const totpRef = useRef<HTMLInputElement>(null);

  const login = async () => {
    try {
      const code = totp.trim();
      const session = await api.login({ loginName: loginName.trim(), password, ...(code ? { totp: code } : {}) });
      signedIn(session.staff);
      navigate('/admin', { replace: true });
    } catch (err) {
      if (isProblemError(err) && (err.code === 'totp-required' || err.code === 'invalid-totp')) {
        setTotp('');
        totpRef.current?.focus();
      }
      throw err;
    }
  };

  return (
    <div className="mx-auto max-w-lg">
      <PageHeading>{t('login.title')}</PageHeading>
      <p className="mt-4">{t('login.lead')}</p>
      <form onSubmit={onSubmit(login)} className="mt-6 flex flex-col gap-6">
        <ProblemAlert error={error} />
        <TextField
          id="login-name"
          name="loginName"
          label={t('login.loginName')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={loginName}
          onChange={(e) => setLoginName(e.currentTarget.value)}
        />
        <TextField
          id="login-password"
          name="password"
          type="password"
          label={t('login.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <TextField
          ref={totpRef}
          id="login-totp"
          name="totp"
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
        <SubmitButton
          busy={busy}
          busyLabel={t('login.submitting')}
          className="min-h-14 w-full sm:w-auto sm:self-start sm:px-10"
        >
          {t('login.submit')}
        </SubmitButton>
      </form>
    </div>
  );
}
