import { useTranslation } from 'react-i18next';
import type { GroupMember, JointUseGroup, Service } from '../../../api/types';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { Section } from '../../../components/Section/Section';
import { MemberServicesForm } from './MemberServicesForm';
import { AddMemberForm } from './AddMemberForm';

export interface GroupCardProps {
  group: JointUseGroup;
  services: Service[];
  onMemberSaved: (m: GroupMember) => void;
  onMemberAdded: (m: GroupMember) => void;
  onBeforeWrite: () => void;
}

export function GroupCard({ group, services, onMemberSaved, onMemberAdded, onBeforeWrite }: GroupCardProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { isPlatformAdmin } = useSession();
  return (
    <Section title={localName(group, lang)} className="rounded-12 border border-solid-gray-420 p-4">
      <h3 className="sr-only">{t('jointUse.members')}</h3>
      {group.members.length === 0 ? (
        <p>{t('jointUse.noMembers')}</p>
      ) : (
        <ul className="flex flex-col gap-4">
          {group.members.map((m) => (
            <li key={m.municipalityCode}>
              <MemberServicesForm
                groupId={group.id}
                member={m}
                services={services}
                onSaved={onMemberSaved}
                onBeforeWrite={onBeforeWrite}
              />
            </li>
          ))}
        </ul>
      )}
      {isPlatformAdmin && (
        <AddMemberForm group={group} services={services} onAdded={onMemberAdded} onBeforeWrite={onBeforeWrite} />
      )}
    </Section>
  );
}
