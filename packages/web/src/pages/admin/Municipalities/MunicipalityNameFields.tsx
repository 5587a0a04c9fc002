import { useTranslation } from 'react-i18next';
import { TextField } from '../../../components/Field/Field';

export interface NameValues {
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
}

export interface MunicipalityNameFieldsProps {
  idPrefix: string;
  value: NameValues;
  onChange: (value: Partial<NameValues>) => void;
}

/** The four bilingual name fields shared by the create and edit forms. */
export function MunicipalityNameFields({ idPrefix, value, onChange }: MunicipalityNameFieldsProps) {
  const { t } = useTranslation();
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
      <TextField
        id={`${idPrefix}-name-ja`}
        label={t('municipalities.nameJa')}
        lang="ja"
        required
        autoComplete="off"
        value={value.nameJa}
        onChange={(e) => onChange({ nameJa: e.currentTarget.value })}
      />
      <TextField
        id={`${idPrefix}-name-en`}
        label={t('municipalities.nameEn')}
        lang="en"
        required
        autoComplete="off"
        value={value.nameEn}
        onChange={(e) => onChange({ nameEn: e.currentTarget.value })}
      />
      <TextField
        id={`${idPrefix}-prefecture-ja`}
        label={t('municipalities.prefectureJa')}
        lang="ja"
        required
        autoComplete="off"
        value={value.prefectureJa}
        onChange={(e) => onChange({ prefectureJa: e.currentTarget.value })}
      />
      <TextField
        id={`${idPrefix}-prefecture-en`}
        label={t('municipalities.prefectureEn')}
        lang="en"
        required
        autoComplete="off"
        value={value.prefectureEn}
        onChange={(e) => onChange({ prefectureEn: e.currentTarget.value })}
      />
    </div>
  );
}
