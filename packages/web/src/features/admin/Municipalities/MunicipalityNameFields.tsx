import { useTranslation } from 'react-i18next';
import { TextField } from '../../../components/Field/Field';

export interface NameValues {
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
}

const FIELDS = [
  { key: 'nameJa', id: 'name-ja', lang: 'ja' },
  { key: 'nameEn', id: 'name-en', lang: 'en' },
  { key: 'prefectureJa', id: 'prefecture-ja', lang: 'ja' },
  { key: 'prefectureEn', id: 'prefecture-en', lang: 'en' },
] as const satisfies readonly { key: keyof NameValues; id: string; lang: string }[];

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
      {FIELDS.map((f) => (
        <TextField
          key={f.key}
          id={`${idPrefix}-${f.id}`}
          label={t(`municipalities.${f.key}`)}
          lang={f.lang}
          required
          autoComplete="off"
          value={value[f.key]}
          onChange={(e) => onChange({ [f.key]: e.currentTarget.value })}
        />
      ))}
    </div>
  );
}
