import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { GroupMember, JointUseGroup, Service } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang, withCode } from '../../../lib/localized';
import { CheckboxGroup, SelectField } from '../../../components/Field/Field';
import { SubmitButton } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

export interface AddMemberFormProps {
  group: JointUseGroup;
  services: Service[];
  onAdded: (m: GroupMember) => void;
  onBeforeWrite: () => void;
}

/** Platform admins: add a municipality to a joint-use group with an initial set of services. */
export function AddMemberForm({ group, services, onAdded, onBeforeWrite }: AddMemberFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { municipalities } = useSession();
  const [code, setCode] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const { busy, error, onSubmit } = useSubmit();
  const groupName = localName(group, lang);
  const candidates = (municipalities ?? []).filter((m) => !group.members.some((x) => x.municipalityCode === m.code));

  const add = async () => {
    onBeforeWrite();
    const member = await api.addMember(group.id, { municipalityCode: code, services: selected });
    const m = municipalities?.find((x) => x.code === code);
    // Fill in anything the response leaves out from what we already know.
    onAdded({
      ...member,
      municipalityCode: member.municipalityCode || code,
      nameJa: member.nameJa || m?.nameJa || code,
      nameEn: member.nameEn || m?.nameEn || code,
      services: member.services ?? selected,
    });
    setCode('');
    setSelected([]);
  };

  return (
    <details className="mt-4 rounded-8 border border-solid-gray-420">
      <summary className="flex min-h-12 cursor-pointer items-center px-4 text-std-16B-170 text-blue-1000 underline underline-offset-[3px]">
        {t('jointUse.addMemberTitle', { group: groupName })}
      </summary>
      {candidates.length === 0 ? (
        <p className="px-4 pb-4">{t('jointUse.noCandidates')}</p>
      ) : (
        <form onSubmit={onSubmit(add)} className="flex flex-col gap-4 px-4 pb-4">
          <ProblemAlert error={error} />
          <SelectField
            id={`add-member-${group.id}`}
            label={t('jointUse.memberMunicipality')}
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            wrapperClassName="max-w-md"
          >
            <option value="">{t('jointUse.chooseMunicipality')}</option>
            {candidates.map((m) => (
              <option key={m.code} value={m.code}>
                {withCode(localName(m, lang), m.code, lang)}
              </option>
            ))}
          </SelectField>
          <CheckboxGroup
            idPrefix={`add-member-${group.id}-svc`}
            legend={t('jointUse.servicesForNew')}
            options={services.map((s) => ({ value: s.id, label: localName(s, lang) }))}
            value={selected}
            onChange={setSelected}
            disabled={busy}
          />
          <SubmitButton
            busy={busy}
            disabled={!code}
            aria-label={t('jointUse.addMemberLabel', { group: groupName })}
            className="self-start"
          >
            {t('jointUse.addMemberSubmit')}
          </SubmitButton>
        </form>
      )}
    </details>
  );
}
