import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext';
import { localName, useLang, withCode } from '../../lib/localized';
import { SelectField } from '../Field/Field';

export interface MunicipalityScopeProps {
  value: string;
  onChange: (code: string) => void;
}

/** Municipality selector for platform admins; a plain read-out for everyone else. */
export function MunicipalityScope({ value, onChange }: MunicipalityScopeProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { isPlatformAdmin, municipalities } = useSession();
  const current = municipalities?.find((m) => m.code === value);
  const label = (code: string) => {
    const m = municipalities?.find((x) => x.code === code);
    return m ? withCode(localName(m, lang), m.code, lang) : code;
  };

  if (!isPlatformAdmin || !municipalities) {
    return (
      <p className="mt-4 text-std-16N-170">
        <span className="font-bold">{t('admin.selectMunicipality')}: </span>
        {current ? label(current.code) : value}
      </p>
    );
  }

  return (
    <SelectField
      id="municipality-scope"
      label={t('admin.selectMunicipality')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      wrapperClassName="mt-4 max-w-md"
    >
      {!current && <option value={value}>{value}</option>}
      {municipalities.map((m) => (
        <option key={m.code} value={m.code}>
          {label(m.code)}
        </option>
      ))}
    </SelectField>
  );
}
