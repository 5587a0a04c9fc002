import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { PrintOnly } from '../../components/PrintOnly/PrintOnly';
import { QrCode } from '../../components/QrCode/QrCode';

export interface PrintableQrCard {
  cardId: string;
  token: string;
  issuedAt: string;
  residentNumber: string;
  globalId: string;
}

export interface QrCardFaceProps {
  card: PrintableQrCard;
  municipality: Municipality | undefined;
  municipalityCode: string;
  /** id of the heading (the on-screen preview and the print copy need different ids). */
  headingId: string;
}

/** The face of a printed QR card: municipality, the QR code, resident ID, global ID, card number. */
export function QrCardFace({ card, municipality, municipalityCode, headingId }: QrCardFaceProps) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <article
      aria-labelledby={headingId}
      className="flex w-full max-w-sm flex-col gap-3 rounded-12 border-2 border-solid-gray-800 bg-white p-4 text-solid-gray-900 print:max-w-[91mm] print:rounded-none print:border print:p-[4mm]"
    >
      <header>
        <p className="text-std-16B-170" data-testid="qr-card-municipality">
          {municipality ? `${municipality.prefectureJa} ${municipality.nameJa}` : municipalityCode}
        </p>
        {municipality && <p className="text-dns-14N-130 text-solid-gray-700" lang="en">{`${municipality.nameEn}, ${municipality.prefectureEn}`}</p>}
        <h4 id={headingId} className="mt-1 text-std-20B-150">
          {t('counter.qrCard.cardHeading')}
        </h4>
      </header>
      <QrCode value={card.token} alt={t('counter.qrCard.qrAlt', { id: card.globalId })} className="mx-auto w-full max-w-56 print:max-w-[50mm]" />
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-dns-16N-130">
        <dt className="text-solid-gray-700">{t('counter.qrCard.residentNumber')}</dt>
        <dd className="font-mono text-mono-17B-150" data-testid="qr-card-resident-number">
          {card.residentNumber}
        </dd>
        <dt className="text-solid-gray-700">{t('counter.qrCard.globalId')}</dt>
        <dd className="font-mono">{card.globalId}</dd>
        <dt className="text-solid-gray-700">{t('counter.qrCard.issuedAt')}</dt>
        <dd>{formatDateTime(card.issuedAt, lang)}</dd>
        <dt className="text-solid-gray-700">{t('counter.qrCard.cardNumber')}</dt>
        <dd className="font-mono text-dns-14N-130 break-all">{card.cardId}</dd>
      </dl>
      <p className="text-dns-14N-130">{t('counter.qrCard.printNote')}</p>
    </article>
  );
}

/** The print copy of one card: while shown, printing the page prints only this card. */
export function QrCardPrintCopy(props: Omit<QrCardFaceProps, 'headingId'>) {
  return (
    <PrintOnly id="kazashi-qr-print">
      <QrCardFace {...props} headingId="kazashi-qr-print-title" />
    </PrintOnly>
  );
}
