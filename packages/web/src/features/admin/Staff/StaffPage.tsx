import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { StaffAccount, StaffCreated } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { StaffCard } from './StaffCard';
import { StaffCreateForm } from './StaffCreateForm';
import { StaffEditForm } from './StaffEditForm';
import { TotpSecretNotice } from './TotpSecretNotice';

export function StaffPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { municipalities } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const list = useApi(['staff', code], (signal) => api.staff(code, signal));
  const [editing, setEditing] = useState<StaffAccount | null>(null);
  const [created, setCreated] = useState<StaffCreated | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const municipality = municipalities?.find((m) => m.code === code);
  const municipalityName = municipality ? localName(municipality, lang) : code;

  function replace(s: StaffAccount) {
    list.setData((prev) => {
      const rows = prev ?? [];
      return rows.some((r) => r.id === s.id) ? rows.map((r) => (r.id === s.id ? s : r)) : [...rows, s];
    });
  }

  function changeScope(next: string) {
    setEditing(null);
    setCreated(null);
    setStatus(null);
    setCode(next);
  }

  return (
    <>
      <PageHeading>{t('staff.title')}</PageHeading>
      <MunicipalityScope value={code} onChange={changeScope} />
      <StatusMessage message={status} className="sticky top-0 z-10 mt-4 bg-white" />

      {created && (
        <TotpSecretNotice
          created={created}
          onDismiss={() => {
            setCreated(null);
          }}
        />
      )}

      <Section title={t('staff.listCaption', { name: municipalityName })}>
        {list.loading && <Loading />}
        <ProblemAlert error={list.error} />
        {list.data &&
          (list.data.length === 0 ? (
            <p>{t('staff.empty')}</p>
          ) : (
            <ul className="grid grid-cols-1 gap-4 xl:grid-cols-2">
              {list.data.map((s) => (
                <li key={s.id}>
                  <StaffCard
                    municipalityCode={code}
                    staff={s}
                    editing={editing?.id === s.id}
                    onEdit={() => {
                      setStatus(null);
                      setEditing(s);
                    }}
                    onChanged={(updated, message) => {
                      replace(updated);
                      setStatus(message);
                    }}
                    onBeforeWrite={() => setStatus(null)}
                  />
                </li>
              ))}
            </ul>
          ))}
      </Section>

      {editing && (
        <StaffEditForm
          key={editing.id}
          municipalityCode={code}
          staff={editing}
          onCancel={() => setEditing(null)}
          onSaved={(s) => {
            replace(s);
            setEditing(null);
            setStatus(t('staff.updated', { name: s.displayName }));
          }}
        />
      )}

      <StaffCreateForm
        key={code}
        municipalityCode={code}
        onBeforeWrite={() => setStatus(null)}
        onCreated={(c) => {
          replace(c.staff);
          setCreated(c);
          setStatus(t('staff.created', { name: c.staff.displayName }));
        }}
      />
    </>
  );
}
