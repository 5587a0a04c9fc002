import { useTranslation } from 'react-i18next';
import type { Sex } from '../../api/shelterTypes';
import { Button } from '../../components/Button/Button';
import { BigCheckbox, BigInput, BigSelect, BigTextArea } from './fields';
import { LANGUAGE_CODES, todayJst, type MemberDraft } from './form';

/** The editable fields of one member (what the form and the error map call them). */
export const MEMBER_TEXT_FIELDS = ['nameKanji', 'nameKana', 'birthDate', 'allergies', 'medication', 'care', 'disability', 'notes'] as const;
export type MemberFieldName = (typeof MEMBER_TEXT_FIELDS)[number] | 'sex' | 'language' | 'pregnancy' | 'infant';

/** The DOM id of a member's control (error summary links point here). */
export function memberFieldId(index: number, field: MemberFieldName): string {
  return `prereg-m${index}-${field}`;
}

export interface MemberFieldsProps {
  index: number;
  member: MemberDraft;
  errors: Map<string, string>;
  onChange: (patch: Partial<MemberDraft>) => void;
  onRemove: () => void;
}

/** One household member: name and birth date first, then the shelter's care needs. */
export function MemberFields({ index, member, errors, onChange, onRemove }: MemberFieldsProps) {
  const { t } = useTranslation();
  const n = index + 1;
  const err = (field: MemberFieldName) => errors.get(`members.${index}.${field}`);
  const id = (field: MemberFieldName) => memberFieldId(index, field);
  const text = (field: (typeof MEMBER_TEXT_FIELDS)[number]) => ({
    id: id(field),
    value: member[field],
    error: err(field),
    onChange: (e: { currentTarget: { value: string } }) => onChange({ [field]: e.currentTarget.value }),
  });
  const knownLanguage = (LANGUAGE_CODES as readonly string[]).includes(member.language);

  return (
    <fieldset className="min-w-0 rounded-12 border-2 border-solid-gray-420 p-4 sm:p-6" data-testid={`prereg-member-${index}`}>
      <legend className="px-2 text-std-20B-150">
        {member.self ? t('myShelter.prereg.memberHeadingSelf') : t('myShelter.prereg.memberHeading', { n })}
        {member.nameKanji.trim() && <span className="ml-2 font-normal">{member.nameKanji}</span>}
      </legend>

      <h4 className="mt-2 text-std-18B-160">{t('myShelter.prereg.basicsTitle')}</h4>
      <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <BigInput label={t('myShelter.prereg.nameKanji')} hint={t('myShelter.prereg.nameKanjiHint')} required autoComplete={member.self ? 'name' : 'off'} {...text('nameKanji')} />
        <BigInput label={t('myShelter.prereg.nameKana')} hint={t('myShelter.prereg.nameKanaHint')} autoComplete="off" {...text('nameKana')} />
        <BigInput
          label={t('myShelter.prereg.birthDate')}
          hint={t('myShelter.prereg.birthDateHint')}
          type="date"
          required
          min="1900-01-01"
          max={todayJst()}
          {...text('birthDate')}
        />
        <BigSelect
          id={id('sex')}
          label={t('myShelter.prereg.sex')}
          value={member.sex}
          error={err('sex')}
          onChange={(e) => onChange({ sex: e.currentTarget.value as Sex | '' })}
        >
          <option value="">{t('myShelter.prereg.sexes.none')}</option>
          <option value="male">{t('myShelter.prereg.sexes.male')}</option>
          <option value="female">{t('myShelter.prereg.sexes.female')}</option>
          <option value="other">{t('myShelter.prereg.sexes.other')}</option>
        </BigSelect>
      </div>

      <h4 className="mt-6 text-std-18B-160">{t('myShelter.prereg.needsTitle')}</h4>
      <p className="mt-1 text-std-16N-170">{t('myShelter.prereg.needsLead')}</p>
      <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <BigInput label={t('myShelter.prereg.allergies')} hint={t('myShelter.prereg.allergiesHint')} {...text('allergies')} />
        <BigInput label={t('myShelter.prereg.medication')} hint={t('myShelter.prereg.medicationHint')} {...text('medication')} />
        <BigInput label={t('myShelter.prereg.care')} hint={t('myShelter.prereg.careHint')} {...text('care')} />
        <BigInput label={t('myShelter.prereg.disability')} hint={t('myShelter.prereg.disabilityHint')} {...text('disability')} />
      </div>
      <div className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2">
        <BigCheckbox
          id={id('pregnancy')}
          label={t('myShelter.prereg.pregnancy')}
          checked={member.pregnancy}
          error={err('pregnancy')}
          onChange={(pregnancy) => onChange({ pregnancy })}
        />
        <BigCheckbox
          id={id('infant')}
          label={t('myShelter.prereg.infant')}
          checked={member.infant}
          error={err('infant')}
          onChange={(infant) => onChange({ infant })}
        />
      </div>
      <div className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <BigSelect
          id={id('language')}
          label={t('myShelter.prereg.language')}
          value={member.language}
          error={err('language')}
          onChange={(e) => onChange({ language: e.currentTarget.value })}
        >
          {LANGUAGE_CODES.map((code) => (
            <option key={code} value={code}>
              {t(`myShelter.prereg.languages.${code}`)}
            </option>
          ))}
          {/* A language saved by staff that this list does not offer stays selectable. */}
          {!knownLanguage && <option value={member.language}>{t('myShelter.prereg.otherLanguage', { code: member.language || '—' })}</option>}
        </BigSelect>
      </div>
      <BigTextArea
        wrapperClassName="mt-4"
        label={t('myShelter.prereg.notes')}
        hint={t('myShelter.prereg.notesHint')}
        {...text('notes')}
      />

      {!member.self && (
        <Button
          variant="danger"
          className="mt-6 min-h-14 px-6 text-std-18B-160"
          aria-label={t('myShelter.prereg.removeMemberLabel', { n, name: member.nameKanji.trim() || t('myShelter.prereg.unnamed') })}
          onClick={onRemove}
        >
          {t('myShelter.prereg.removeMember')}
        </Button>
      )}
    </fieldset>
  );
}
