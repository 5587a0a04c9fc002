import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicMunicipality } from '../../../api/types';
import type { ConsentInput } from '../../../api/resident';
import { Checkbox } from '../../../components/Field/Field';
import { localName, serviceLabel, useLang } from '../../../lib/localized';

/** The version of the terms the kiosk shows and records with every consent. */
export const TERMS_VERSION = '2026-11';

/** Consent purposes the kiosk records; My page turns them back into words. */
export const SERVICE_PURPOSE_PREFIX = 'service.';
export const SHARE_PURPOSE = 'joint-use.share';

export interface ConsentChoice {
  termsAccepted: boolean;
  services: string[];
  share: boolean;
}

/** The consent records for a choice: one per chosen service, plus one for sharing with the partners. */
export function consentsOf(choice: ConsentChoice, partners: PublicMunicipality[]): ConsentInput[] {
  const list: ConsentInput[] = choice.services.map((s) => ({
    purpose: `${SERVICE_PURPOSE_PREFIX}${s}`,
    services: [s],
    categories: ['basic'],
    termsVersion: TERMS_VERSION,
  }));
  if (choice.share && partners.length > 0 && choice.services.length > 0) {
    list.push({
      purpose: SHARE_PURPOSE,
      services: choice.services,
      categories: ['basic'],
      recipients: partners.map((p) => p.code),
      termsVersion: TERMS_VERSION,
    });
  }
  return list;
}

export interface ConsentFieldsProps {
  municipality: PublicMunicipality;
  partners: PublicMunicipality[];
  value: ConsentChoice;
  onChange: (c: ConsentChoice) => void;
  showTermsRequired: boolean;
  disabled?: boolean;
}

/** Terms of use, the terms checkbox, one checkbox per service and the joint-use sharing checkbox. */
export function ConsentFields({ municipality, partners, value, onChange, showTermsRequired, disabled }: ConsentFieldsProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const termsId = useId();
  const toggleService = (s: string, on: boolean) => {
    const next = on ? [...value.services, s] : value.services.filter((x) => x !== s);
    onChange({ ...value, services: municipality.services.filter((x) => next.includes(x)) });
  };
  const partnerNames = partners.map((p) => localName(p, lang)).join(lang === 'en' ? ', ' : '・');

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby={termsId} className="rounded-12 border border-solid-gray-420 p-4">
        <h3 id={termsId} className="text-std-20B-150">
          {t('resident.kiosk.termsTitle', { version: TERMS_VERSION })}
        </h3>
        <ul className="mt-2 ml-6 list-disc space-y-1 text-std-18N-160">
          <li>{t('resident.kiosk.terms1')}</li>
          <li>{t('resident.kiosk.terms2')}</li>
          <li>{t('resident.kiosk.terms3')}</li>
          <li>{t('resident.kiosk.terms4')}</li>
        </ul>
        <Checkbox
          className="mt-3"
          label={<span className="text-std-18B-160">{t('resident.kiosk.acceptTerms')}</span>}
          checked={value.termsAccepted}
          disabled={disabled}
          aria-invalid={showTermsRequired || undefined}
          onChange={(e) => onChange({ ...value, termsAccepted: e.currentTarget.checked })}
        />
        {showTermsRequired && (
          <p role="alert" className="text-std-16B-170 text-error-2">
            {t('resident.kiosk.termsRequired')}
          </p>
        )}
      </section>

      <fieldset className="min-w-0">
        <legend className="text-std-18B-160">{t('resident.kiosk.servicesLegend')}</legend>
        {municipality.services.length === 0 ? (
          <p className="mt-2">{t('resident.kiosk.noServices')}</p>
        ) : (
          <div className="mt-2 grid grid-cols-1 gap-x-4 sm:grid-cols-2">
            {municipality.services.map((s) => (
              <Checkbox
                key={s}
                label={<span className="text-std-18N-160">{serviceLabel(t, s)}</span>}
                checked={value.services.includes(s)}
                disabled={disabled}
                onChange={(e) => toggleService(s, e.currentTarget.checked)}
              />
            ))}
          </div>
        )}
      </fieldset>

      <fieldset className="min-w-0">
        <legend className="text-std-18B-160">{t('resident.kiosk.shareLegend')}</legend>
        {partners.length === 0 ? (
          <p className="mt-2">{t('resident.kiosk.noPartners')}</p>
        ) : (
          <Checkbox
            className="mt-2"
            label={<span className="text-std-18N-160">{t('resident.kiosk.shareLabel', { names: partnerNames })}</span>}
            checked={value.share}
            disabled={disabled}
            onChange={(e) => onChange({ ...value, share: e.currentTarget.checked })}
          />
        )}
      </fieldset>
    </div>
  );
}
