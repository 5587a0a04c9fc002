import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button/Button';
import { localName, useLang } from '../../../lib/localized';
import type { OidcClientCreated } from './oidcClientsApi';

export interface OidcSecretNoticeProps {
  created: OidcClientCreated;
  onDismiss: () => void;
}

/** Shows a new client's id, the issuer and (confidential clients) its secret, once. */
export function OidcSecretNotice({ created, onDismiss }: OidcSecretNoticeProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const name = localName({ nameJa: created.client.name.ja, nameEn: created.client.name.en }, lang);
  const mono = 'mt-1 rounded-8 border border-solid-gray-420 bg-white px-3 py-2 font-mono text-mono-17B-150 break-all';

  return (
    <section aria-labelledby="oidc-secret-title" className="mt-6 rounded-12 border-4 border-warning-yellow-1 bg-yellow-50 p-4">
      <h2 id="oidc-secret-title" ref={headingRef} tabIndex={-1} className="text-std-22B-150">
        {t('oidc.admin.secretTitle', { name })}
      </h2>
      {created.clientSecret && (
        <p className="mt-2 text-std-16B-170">
          <span aria-hidden="true">⚠ </span>
          {t('oidc.admin.secretWarning')}
        </p>
      )}
      <dl className="mt-4 flex flex-col gap-3">
        <div>
          <dt className="text-std-16B-170">{t('oidc.admin.issuer')}</dt>
          <dd className={mono}>{`${window.location.origin}/oidc`}</dd>
        </div>
        <div>
          <dt className="text-std-16B-170">{t('oidc.admin.clientId')}</dt>
          <dd className={mono} data-testid="oidc-client-id">{created.client.clientId}</dd>
        </div>
        <div>
          <dt className="text-std-16B-170">{t('oidc.admin.clientSecret')}</dt>
          <dd className={created.clientSecret ? mono : 'mt-1'} data-testid="oidc-client-secret">
            {created.clientSecret ?? t('oidc.admin.noSecret')}
          </dd>
        </div>
      </dl>
      <Button variant="secondary" onClick={onDismiss} className="mt-4">
        {t('oidc.admin.dismissSecret')}
      </Button>
    </section>
  );
}
