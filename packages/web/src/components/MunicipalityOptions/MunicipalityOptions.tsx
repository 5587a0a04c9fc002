import type { PublicMunicipality } from '../../api/types';
import { localName, useLang } from '../../lib/localized';

/** The <option>s of a municipality <select>: the code as value, the name in the current language. */
export function MunicipalityOptions({ municipalities }: { municipalities: readonly PublicMunicipality[] }) {
  const lang = useLang();
  return (
    <>
      {municipalities.map((m) => (
        <option key={m.code} value={m.code}>
          {localName(m, lang)}
        </option>
      ))}
    </>
  );
}
