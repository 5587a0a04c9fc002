import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { Municipality } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { useSession } from '../../../session/SessionContext';
import { localName, localPrefecture, useLang, vaultLabel } from '../../../lib/localized';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { DataTable } from '../../../components/DataTable/DataTable';
import { Button } from '../../../components/Button/Button';
import { MunicipalityCreateForm } from './MunicipalityCreateForm';
import { MunicipalityEditForm } from './MunicipalityEditForm';

export function MunicipalitiesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { isPlatformAdmin, canAdminister, reloadMunicipalities } = useSession();
  const list = useApi(['municipalities'], (signal) => api.municipalities(signal));
  const [editing, setEditing] = useState<Municipality | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  function upsert(m: Municipality) {
    list.setData((prev) => {
      const rows = prev ?? [];
      return rows.some((r) => r.code === m.code) ? rows.map((r) => (r.code === m.code ? m : r)) : [...rows, m];
    });
    reloadMunicipalities();
  }

  return (
    <>
      <PageHeading>{t('municipalities.title')}</PageHeading>
      <StatusMessage message={status} className="mt-4" />

      <Section title={t('municipalities.listCaption')}>
        {list.loading && <Loading />}
        <ProblemAlert error={list.error} />
        {list.data &&
          (list.data.length === 0 ? (
            <p>{t('municipalities.empty')}</p>
          ) : (
            <DataTable
              caption={t('municipalities.listCaption')}
              rows={list.data}
              rowKey={(m) => m.code}
              columns={[
                { key: 'code', header: t('municipalities.code'), cell: (m) => <span className="font-mono">{m.code}</span> },
                { key: 'nameJa', header: t('municipalities.nameJa'), cell: (m) => <span lang="ja">{m.nameJa}</span> },
                { key: 'nameEn', header: t('municipalities.nameEn'), cell: (m) => <span lang="en">{m.nameEn}</span> },
                {
                  key: 'prefecture',
                  header: t('landing.prefecture'),
                  cell: (m) => localPrefecture(m, lang),
                },
                { key: 'vault', header: t('municipalities.vaultLocation'), cell: (m) => vaultLabel(t, m.vaultLocation) },
                {
                  key: 'actions',
                  header: t('common.actions'),
                  cell: (m) =>
                    canAdminister(m.code) ? (
                      <Button
                        variant="secondary"
                        className="min-h-11"
                        aria-label={t('municipalities.editLabel', { name: localName(m, lang) })}
                        aria-expanded={editing?.code === m.code}
                        onClick={() => {
                          setStatus(null);
                          setEditing(m);
                        }}
                      >
                        {t('common.edit')}
                      </Button>
                    ) : null,
                },
              ]}
            />
          ))}
      </Section>

      {editing && (
        <MunicipalityEditForm
          key={editing.code}
          municipality={editing}
          onCancel={() => setEditing(null)}
          onSaved={(m) => {
            upsert(m);
            setEditing(null);
            setStatus(t('municipalities.updated', { name: localName(m, lang) }));
          }}
        />
      )}

      {isPlatformAdmin && (
        <MunicipalityCreateForm
          onCreated={(m) => {
            upsert(m);
            setStatus(t('municipalities.added', { name: localName(m, lang) }));
          }}
        />
      )}
    </>
  );
}
