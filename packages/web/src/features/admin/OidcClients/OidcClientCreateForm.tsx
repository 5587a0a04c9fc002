import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../../../hooks/useSubmit';
import { FormSection } from '../../../components/FormSection/FormSection';
import { CheckboxGroup, SelectField, TextField } from '../../../components/Field/Field';
import { AUTH_METHODS, CLIENT_SCOPES, isAuthMethod, isClientScope, oidcClientsApi, type AuthMethod, type OidcClientCreated } from './oidcClientsApi';

export interface OidcClientCreateFormProps {
  municipalityCode: string;
  onCreated: (c: OidcClientCreated) => void;
  onBeforeWrite: () => void;
}

/** Registers a service: names in both languages, redirect URIs, the items it may ask for, client authentication. */
export function OidcClientCreateForm({ municipalityCode, onCreated, onBeforeWrite }: OidcClientCreateFormProps) {
  const { t } = useTranslation();
  const [nameJa, setNameJa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [redirects, setRedirects] = useState('');
  const [scopes, setScopes] = useState<string[]>(['profile']);
  const [authMethod, setAuthMethod] = useState<AuthMethod>('client_secret_basic');
  const { busy, error, onSubmit } = useSubmit();

  const create = async () => {
    onBeforeWrite();
    const created = await oidcClientsApi.create(municipalityCode, {
      nameJa: nameJa.trim(),
      nameEn: nameEn.trim(),
      redirectUris: redirects.split(/\s+/).map((s) => s.trim()).filter(Boolean),
      scopes: scopes.filter(isClientScope),
      tokenEndpointAuthMethod: authMethod,
    });
    setNameJa('');
    setNameEn('');
    setRedirects('');
    setScopes(['profile']);
    setAuthMethod('client_secret_basic');
    onCreated(created);
  };

  return (
    <FormSection title={t('oidc.admin.createTitle')} onSubmit={onSubmit(create)} busy={busy} error={error} submitLabel={t('oidc.admin.createSubmit')}>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField id="oidc-client-name-ja" label={t('oidc.admin.nameJa')} required maxLength={100} autoComplete="off" value={nameJa} onChange={(e) => setNameJa(e.currentTarget.value)} />
        <TextField id="oidc-client-name-en" label={t('oidc.admin.nameEn')} required maxLength={100} autoComplete="off" lang="en" value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} />
      </div>
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <label htmlFor="oidc-client-redirects" className="text-std-17B-170">
            {t('oidc.admin.redirectUris')}
          </label>
          <span aria-hidden="true" className="text-dns-14N-130 text-error-2">
            ※{t('common.required')}
          </span>
        </div>
        <p id="oidc-client-redirects-hint" className="text-dns-16N-130 text-solid-gray-700">
          {t('oidc.admin.redirectHint')}
        </p>
        <textarea
          id="oidc-client-redirects"
          aria-describedby="oidc-client-redirects-hint"
          required
          rows={3}
          spellCheck={false}
          autoCapitalize="none"
          className="block w-full rounded-8 border border-solid-gray-600 bg-white px-4 py-2 font-mono text-std-16N-170 hover:border-black"
          value={redirects}
          onChange={(e) => setRedirects(e.currentTarget.value)}
        />
      </div>
      <CheckboxGroup
        idPrefix="oidc-client-scope"
        legend={t('oidc.admin.scopes')}
        options={CLIENT_SCOPES.map((s) => ({ value: s, label: t(`oidc.scopes.${s}`) }))}
        value={scopes}
        onChange={setScopes}
        disabled={busy}
      />
      <p className="text-std-16N-170">{t('oidc.admin.scopesHint')}</p>
      <SelectField
        id="oidc-client-auth"
        label={t('oidc.admin.authMethod')}
        value={authMethod}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (isAuthMethod(v)) setAuthMethod(v);
        }}
        wrapperClassName="md:max-w-md"
      >
        {AUTH_METHODS.map((m) => (
          <option key={m} value={m}>
            {t(`oidc.admin.authMethods.${m}`)}
          </option>
        ))}
      </SelectField>
    </FormSection>
  );
}
