import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { DataTable } from '../../../components/DataTable/DataTable';
import { Button } from '../../../components/Button/Button';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { isAuthMethod, isClientScope, oidcClientsApi, type OidcClient, type OidcClientCreated } from './oidcClientsApi';
import { OidcClientCreateForm } from './OidcClientCreateForm';
import { OidcSecretNotice } from './OidcSecretNotice';

/**
 * /admin/oidc-clients: the joint-use services (OpenID Connect clients) a municipality registers, so its
 * residents can log in to them with their card. The client secret is shown once, on registration.
 */
export function OidcClientsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { canAdminister } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const list = useApi(['oidc-clients', code], (signal) => oidcClientsApi.list(code, signal));
  const [created, setCreated] = useState<OidcClientCreated | null>(null);
  const disabling = useSubmit();
  const canEdit = canAdminister(code);

  const replace = (c: OidcClient) =>
    list.setData((prev) => {
      const rows = prev ?? [];
      return rows.some((r) => r.clientId === c.clientId) ? rows.map((r) => (r.clientId === c.clientId ? c : r)) : [...rows, c];
    });

  const disable = (c: OidcClient) =>
    disabling.run(async () => {
      if (!window.confirm(t('oidc.admin.disableConfirm', { name: localName({ nameJa: c.name.ja, nameEn: c.name.en }, lang) }))) return;
      replace(await oidcClientsApi.disable(code, c.clientId));
    });

  return (
    <>
      <PageHeading>{t('oidc.admin.title')}</PageHeading>
      <p className="mt-4">{t('oidc.admin.lead')}</p>
      <MunicipalityScope
        value={code}
        onChange={(next) => {
          setCreated(null);
          setCode(next);
        }}
      />
      {created && <OidcSecretNotice created={created} onDismiss={() => setCreated(null)} />}
      <Section title={t('oidc.admin.listTitle')}>
        {list.loading && <Loading />}
        <ProblemAlert error={list.error} />
        <ProblemAlert error={disabling.error} />
        {list.data &&
          (list.data.length === 0 ? (
            <p>{t('oidc.admin.none')}</p>
          ) : (
            <DataTable
              caption={t('oidc.admin.caption')}
              rows={list.data}
              rowKey={(c) => c.clientId}
              columns={[
                { key: 'name', header: t('oidc.admin.colName'), cell: (c) => localName({ nameJa: c.name.ja, nameEn: c.name.en }, lang) },
                { key: 'id', header: t('oidc.admin.colClientId'), cell: (c) => <code className="break-all">{c.clientId}</code> },
                {
                  key: 'redirect',
                  header: t('oidc.admin.colRedirect'),
                  cell: (c) => (
                    <ul>
                      {c.redirectUris.map((u) => (
                        <li key={u} className="break-all font-mono">{u}</li>
                      ))}
                    </ul>
                  ),
                },
                { key: 'scopes', header: t('oidc.admin.colScopes'), cell: (c) => c.scopes.filter(isClientScope).map((s) => t(`oidc.scopes.${s}`)).join('、') },
                { key: 'auth', header: t('oidc.admin.colAuth'), cell: (c) => (isAuthMethod(c.tokenEndpointAuthMethod) ? t(`oidc.admin.authMethods.${c.tokenEndpointAuthMethod}`) : c.tokenEndpointAuthMethod) },
                {
                  key: 'status',
                  header: t('oidc.admin.colStatus'),
                  cell: (c) =>
                    c.disabledAt ? (
                      t('oidc.admin.disabled', { at: new Date(c.disabledAt).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB') })
                    ) : canEdit ? (
                      <div className="flex flex-wrap items-center gap-2">
                        <span>{t('oidc.admin.active')}</span>
                        <Button variant="danger" onClick={() => void disable(c)} disabled={disabling.busy}>
                          {t('oidc.admin.disable')}
                        </Button>
                      </div>
                    ) : (
                      t('oidc.admin.active')
                    ),
                },
              ]}
            />
          ))}
      </Section>
      {canEdit ? (
        <OidcClientCreateForm
          key={code}
          municipalityCode={code}
          onBeforeWrite={() => setCreated(null)}
          onCreated={(c) => {
            replace(c.client);
            setCreated(c);
          }}
        />
      ) : (
        <p className="mt-6">{t('oidc.admin.readOnly')}</p>
      )}
    </>
  );
}
