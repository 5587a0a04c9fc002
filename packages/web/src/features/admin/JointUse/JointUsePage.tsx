import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { GroupMember, JointUseGroup } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { GroupCard } from './GroupCard';
import { GroupCreateForm } from './GroupCreateForm';

export function JointUsePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { isPlatformAdmin } = useSession();
  const groups = useApi(['joint-use', 'groups'], (signal) => api.groups(signal));
  const services = useApi(['joint-use', 'services'], (signal) => api.services(signal));
  const [status, setStatus] = useState<string | null>(null);

  function updateGroup(id: string, update: (g: JointUseGroup) => JointUseGroup) {
    groups.setData((prev) => prev?.map((g) => (g.id === id ? update(g) : g)));
  }

  function memberSaved(groupId: string, member: GroupMember) {
    updateGroup(groupId, (g) => ({
      ...g,
      members: g.members.map((m) => (m.municipalityCode === member.municipalityCode ? { ...m, ...member } : m)),
    }));
    setStatus(t('jointUse.saved', { name: localName(member, lang) }));
  }

  function memberAdded(group: JointUseGroup, member: GroupMember) {
    updateGroup(group.id, (g) => ({ ...g, members: [...g.members, member] }));
    setStatus(t('jointUse.memberAdded', { name: localName(member, lang), group: localName(group, lang) }));
  }

  function groupCreated(group: JointUseGroup) {
    groups.setData((prev) => [...(prev ?? []), { ...group, members: group.members ?? [] }]);
    setStatus(t('jointUse.created', { name: localName(group, lang) }));
  }

  const loading = groups.loading || services.loading;

  return (
    <>
      <PageHeading>{t('jointUse.title')}</PageHeading>
      <p className="mt-4">{t('jointUse.lead')}</p>
      <StatusMessage message={status} className="sticky top-0 z-10 mt-4 bg-white" />
      {loading && <Loading />}
      <ProblemAlert error={groups.error ?? services.error} className="mt-4" />

      {groups.data && services.data && (
        <>
          {groups.data.length === 0 && <p className="mt-6">{t('jointUse.empty')}</p>}
          {groups.data.map((g) => (
            <GroupCard
              key={g.id}
              group={g}
              services={services.data ?? []}
              onMemberSaved={(m) => memberSaved(g.id, m)}
              onMemberAdded={(m) => memberAdded(g, m)}
              onBeforeWrite={() => setStatus(null)}
            />
          ))}
          {isPlatformAdmin && <GroupCreateForm onCreated={groupCreated} onBeforeWrite={() => setStatus(null)} />}
        </>
      )}
    </>
  );
}
