import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../components/Button/Button';
import { TextField } from '../../components/Field/Field';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { PrintOnly } from '../../components/PrintOnly/PrintOnly';
import { QrCode } from '../../components/QrCode/QrCode';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';

/** Crockford base32: no I, L, O or U, so a code read aloud or copied by hand is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_CARDS = 200;

/**
 * A new intake code: 12 random base32 characters (60 bits) in three groups, after KZI (Kazashi
 * intake). Random rather than numbered, so a code cannot be guessed from another card, and no server
 * round trip is needed: a code becomes a person's when the card is first used at a kiosk.
 */
export function newIntakeCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = [...bytes].map((b) => ALPHABET[b % 32]).join('');
  return `KZI-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * /shelter/intake-cards: blank QR intake cards (受付カード) printed before a disaster, for people who
 * arrive without a My Number Card or a phone. At the kiosk (QR mode, intake card) the card's code is
 * read and staff enter the person once; from then on the card checks that household in.
 */
export function IntakeCardsPage() {
  const { t } = useTranslation();
  const [count, setCount] = useState('16');
  const [codes, setCodes] = useState<string[]>([]);
  const n = Number(count);
  const valid = Number.isInteger(n) && n >= 1 && n <= MAX_CARDS;

  return (
    <>
      <div className="print:hidden">
        <PageHeading>{t('shelter.intakeCards.title')}</PageHeading>
        <p className="mt-3 max-w-3xl text-std-16N-170">{t('shelter.intakeCards.intro')}</p>
        <form
          className="mt-4 flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) setCodes(Array.from({ length: n }, newIntakeCode));
          }}
        >
          <TextField
            label={t('shelter.intakeCards.count', { max: MAX_CARDS })}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_CARDS}
            value={count}
            onChange={(e) => setCount(e.currentTarget.value)}
            required
            className="w-32"
          />
          <Button type="submit" disabled={!valid}>
            {t('shelter.intakeCards.make')}
          </Button>
          {codes.length > 0 && (
            <Button variant="secondary" onClick={() => window.print()}>
              {t('shelter.intakeCards.print')}
            </Button>
          )}
          <Link to="/shelter" className="inline-flex min-h-11 items-center text-blue-900 underline">
            {t('shelter.intakeCards.back')}
          </Link>
        </form>
        {codes.length > 0 && (
          <>
            <StatusMessage className="mt-4" message={t('shelter.intakeCards.made', { count: codes.length })} />
            <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t('shelter.intakeCards.preview')}>
              {codes.map((code) => (
                <li key={code}>
                  <IntakeCard code={code} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {codes.length > 0 && <IntakeCardsPrint codes={codes} />}
    </>
  );
}

/** One card: the QR of its code, the code in letters (read aloud or typed when no camera works), and lines to write on. */
function IntakeCard({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <article
      data-intake-code={code}
      className="flex h-full flex-col gap-2 rounded-12 border-2 border-solid-gray-800 bg-white p-4 text-solid-gray-900 print:break-inside-avoid print:rounded-none print:border print:border-dashed print:p-[4mm]"
    >
      <h2 className="text-std-18B-160">
        {t('shelter.intakeCards.cardTitle')} <span lang="en" className="text-dns-14N-130">Shelter intake card</span>
      </h2>
      <div className="flex items-center gap-3">
        <QrCode value={code} alt={t('shelter.intakeCards.qrAlt', { code })} className="w-28 shrink-0 print:w-[30mm]" />
        {/* Wraps only between groups, so a group is never split across lines when copied by hand. */}
        <p className="font-mono text-mono-17B-150">
          {code.split('-').map((group, i) => (
            <Fragment key={i}>
              {i > 0 && <wbr />}
              <span className="whitespace-nowrap">{i > 0 ? `-${group}` : group}</span>
            </Fragment>
          ))}
        </p>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-3 text-dns-14N-130">
        <dt>{t('shelter.intakeCards.name')}</dt>
        <dd className="border-b border-solid-gray-800" />
        <dt>{t('shelter.intakeCards.birthDate')}</dt>
        <dd className="border-b border-solid-gray-800" />
      </dl>
      <p className="text-dns-14N-130">{t('shelter.intakeCards.show')}</p>
    </article>
  );
}

/** Printing the page prints only the cards, eight to an A4 sheet, with dashed lines to cut along. */
function IntakeCardsPrint({ codes }: { codes: string[] }) {
  return (
    <PrintOnly id="kazashi-intake-print" page="tight">
      <div className="grid grid-cols-2 gap-[4mm]">
        {codes.map((code) => (
          <IntakeCard key={code} code={code} />
        ))}
      </div>
    </PrintOnly>
  );
}
