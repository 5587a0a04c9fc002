import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { GroupMember, Service } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { CheckboxGroup } from '../../../components/Field/Field';
import { SubmitButton } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

export interface MemberServicesFormProps {
  groupId: string;
  member: GroupMember;
  services: Service[];
  onSaved: (m: GroupMember) => void;
  onBeforeWrite: () => void;
}

/** One member municipality of a joint-use group: a checkbox per service and a Save button. */
export function MemberServicesForm({ groupId, member, services, onSaved, onBeforeWrite }: MemberServicesFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { canAdminister } = useSession();
  const [selected, setSelected] = useState<string[]>(member.services);
  const { busy, error, onSubmit } = useSubmit();
  const editable = canAdminister(member.municipalityCode);
  const name = localName(member, lang);

  const save = async () => {
    onBeforeWrite();
    const saved = await api.setMemberServices(groupId, member.municipalityCode, selected);
    setSelected(saved.services ?? selected);
    onSaved({ ...member, ...saved });
  };

  return (
    <form onSubmit={onSubmit(save)} className="flex flex-col gap-3 rounded-8 bg-solid-gray-50 p-4">
      <CheckboxGroup
        idPrefix={`svc-${groupId}-${member.municipalityCode}`}
        legend={t('jointUse.servicesLegend', { name })}
        legendClassName="text-std-18B-160"
        options={services.map((s) => ({ value: s.id, label: localName(s, lang) }))}
        value={selected}
        onChange={setSelected}
        disabled={!editable || busy}
      />
      <ProblemAlert error={error} />
      {editable && (
        <SubmitButton busy={busy} aria-label={t('jointUse.saveMember', { name })} className="self-start">
          {t('common.save')}
        </SubmitButton>
      )}
    </form>
  );
}
