import { useTranslation } from 'react-i18next';
import { useApi } from '../../hooks/useApi';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { suppliesApi } from './suppliesApi';

/** The catalogue with its per-person rates (the basis of the estimate). */
export function CatalogueTable() {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const items = useApi(['supplies', 'catalogue'], (signal) => suppliesApi.catalogue(signal));
  return (
    <div>
      {items.loading && <Loading />}
      <ProblemAlert error={items.error} />
      {items.data && (
        <table className="w-full text-std-16N-170">
          <caption className="text-left font-bold">{t('supplies.catalogue.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left">{t('supplies.catalogue.item')}</th>
              <th scope="col" className="text-left">{t('supplies.catalogue.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {items.data.map((i) => (
              <tr key={i.code}>
                <th scope="row" className="text-left font-normal">{en ? i.nameEn : i.nameJa}</th>
                <td>
                  {i.perPersonPerDay === null
                    ? t('supplies.catalogue.byCount')
                    : t('supplies.catalogue.perDay', { n: i.perPersonPerDay, unit: en ? i.unitEn : i.unitJa })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
