import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { StaffLoginForm } from '../../components/StaffLoginForm/StaffLoginForm';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();

  return (
    <div className="mx-auto max-w-lg">
      <PageHeading>{t('login.title')}</PageHeading>
      <p className="mt-4">{t('login.lead')}</p>
      <StaffLoginForm idPrefix="login" named onSignedIn={() => navigate('/admin', { replace: true })} />
    </div>
  );
}
