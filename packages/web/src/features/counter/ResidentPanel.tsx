import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { Button } from '../../components/Button/Button';
import type { ResidentView } from './counterApi';
import { CardsSection } from './CardsSection';
import { ConsentsSection } from './ConsentsSection';
import { QrCardSection } from './QrCardSection';
import type { TouchModeControl } from './touchMode';

export interface ResidentPanelProps {
  municipalityCode: string;
  municipality: Municipality | undefined;
  resident: ResidentView;
  /** How the resident was found: by card + PIN, or by number / QR code. */
  viaCard: boolean;
  /** Whether this staff member may see and change cards, consents and QR cards (municipal admin). */
  manages: boolean;
  touch: TouchModeControl;
  onClose: () => void;
  onStatus: (message: string | null) => void;
}

/** One resident at the counter: ids, cards, consents and QR cards. Takes focus when shown. */
export function ResidentPanel({ municipalityCode, municipality, resident, viaCard, manages, touch, onClose, onStatus }: ResidentPanelProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const displayId = resident.globalId ?? resident.id;
  const headingId = 'counter-resident-title';

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const status = resident.status === 'active' || resident.status === 'inactive' ? t(`counter.resident.statuses.${resident.status}`) : resident.status;

  return (
    <section aria-labelledby={headingId} className="mt-8 rounded-12 border-2 border-blue-900 p-4" data-testid="counter-resident">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-std-24B-150">
          {t('counter.resident.title', { id: displayId })}
        </h2>
        <Button variant="secondary" onClick={onClose}>
          {t('counter.resident.close')}
        </Button>
      </div>
      {viaCard && <p className="mt-2 font-bold text-success-2">{t('counter.resident.foundByCard')}</p>}
      <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="font-bold">{t('counter.resident.residentNumber')}</dt>
        <dd className="font-mono" data-testid="counter-resident-number">
          {resident.residentNumber ?? '—'}
        </dd>
        <dt className="font-bold">{t('counter.resident.globalId')}</dt>
        <dd className="font-mono" data-testid="counter-global-id">
          {resident.globalId ?? '—'}
        </dd>
        <dt className="font-bold">{t('counter.resident.status')}</dt>
        <dd>{status}</dd>
        <dt className="font-bold">{t('counter.resident.createdAt')}</dt>
        <dd>{formatDateTime(resident.createdAt, lang)}</dd>
        <dt className="font-bold">{t('counter.resident.categories')}</dt>
        <dd>{resident.categories.length ? resident.categories.join(lang === 'en' ? ', ' : '、') : t('counter.resident.noCategories')}</dd>
      </dl>
      {manages ? (
        <>
          <CardsSection municipalityCode={municipalityCode} resident={resident} displayId={displayId} touch={touch} onStatus={onStatus} />
          <ConsentsSection municipalityCode={municipalityCode} resident={resident} displayId={displayId} onStatus={onStatus} />
          <QrCardSection municipalityCode={municipalityCode} municipality={municipality} resident={resident} onStatus={onStatus} />
        </>
      ) : (
        <p className="mt-4">{t('counter.resident.noManage')}</p>
      )}
    </section>
  );
}
