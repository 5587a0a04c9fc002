import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Need, ShelterKind, ShelterStatus } from '../../api/shelterTypes';
import { useLang } from '../../lib/localized';
import type { Lang } from '../../i18n';
import type { Congestion } from '../../components/ShelterMap/congestion';

export const NEEDS: readonly Need[] = ['allergy', 'medication', 'care', 'disability', 'pregnancy', 'infant', 'pet'];
export const STATUSES: readonly ShelterStatus[] = ['open', 'full', 'requested', 'closed'];

/**
 * Every word a table row needs, built once per language. Rows get this object instead of calling
 * useTranslation themselves: a thousand rows would otherwise each subscribe to language changes.
 */
export interface RowLabels {
  lang: Lang;
  status: Record<ShelterStatus, string>;
  congestion: Record<Congestion, string>;
  needs: Record<Need, string>;
  kind: Record<ShelterKind, string>;
  none: string;
  num: (n: number) => string;
  ratio: (present: number, capacity: number, rate: number) => string;
  unknownCapacity: (present: number) => string;
  changeStatus: string;
  changeStatusOf: (name: string) => string;
  languageName: (code: string) => string;
}

const MARK = '\u0000';

/** Markers for up to three values of a message translated once (control characters: never in a translation). */
const MARKS = ['\u0001', '\u0002', '\u0003'] as const;

/** A message translated with MARKS in place of its values, filled by concatenation (a thousand rows each call it). */
function fillMany(template: string): (...values: string[]) => string {
  // eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
  const parts: (string | number)[] = template.split(/([\u0001-\u0003])/).map((p) => {
    const i = MARKS.indexOf(p as (typeof MARKS)[number]);
    return i >= 0 ? i : p;
  });
  return (...values: string[]) => {
    let out = '';
    for (const p of parts) out += typeof p === 'number' ? (values[p] ?? '') : p;
    return out;
  };
}

/** A one-placeholder message translated with MARK in place of the value, as a fast filler. */
function fill(template: string): (value: string) => string {
  const i = template.indexOf(MARK);
  if (i < 0) return () => template;
  const before = template.slice(0, i);
  const after = template.slice(i + MARK.length);
  return (value: string) => before + value + after;
}

/** A value made on its first use, then kept (for objects costly to create that not every list needs). */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** Language names in `lang`, each looked up once; the DisplayNames is made on the first row with another language. */
function languageNamer(lang: Lang): (code: string) => string {
  const names = lazy(() => {
    try {
      return new Intl.DisplayNames([lang], { type: 'language' });
    } catch {
      return null;
    }
  });
  const cache = new Map<string, string>();
  return (code: string) => {
    let name = cache.get(code);
    if (name === undefined) {
      try {
        name = names()?.of(code) ?? code;
      } catch {
        name = code;
      }
      cache.set(code, name);
    }
    return name;
  };
}

export function useRowLabels(): RowLabels {
  const { t } = useTranslation();
  const lang = useLang();
  return useMemo(() => {
    // Both locales group a whole number's digits by three with a comma: written directly, since
    // Intl.NumberFormat costs tens of milliseconds to create and its format is the costly part of a row.
    const fmt = lazy(() => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ja-JP'));
    const num = (n: number) =>
      Number.isSafeInteger(n) && n >= 0 ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : fmt().format(n);
    const ratio = fillMany(t('hq.table.ratio', { present: MARKS[0], capacity: MARKS[1], rate: MARKS[2] }));
    const unknownCapacity = fillMany(t('hq.table.unknownCapacity', { present: MARKS[0] }));
    return {
      lang,
      status: { open: t('hq.status.open'), closed: t('hq.status.closed'), full: t('hq.status.full'), requested: t('hq.status.requested') },
      congestion: {
        empty: t('hq.congestion.empty'),
        some: t('hq.congestion.some'),
        crowded: t('hq.congestion.crowded'),
        full: t('hq.congestion.full'),
        unknown: t('hq.congestion.unknown'),
      },
      needs: {
        allergy: t('hq.needs.allergy'),
        medication: t('hq.needs.medication'),
        care: t('hq.needs.care'),
        disability: t('hq.needs.disability'),
        pregnancy: t('hq.needs.pregnancy'),
        infant: t('hq.needs.infant'),
        pet: t('hq.needs.pet'),
      },
      kind: { general: t('hq.kind.general'), welfare: t('hq.kind.welfare') },
      none: t('common.none'),
      num,
      ratio: (present: number, capacity: number, rate: number) => ratio(num(present), num(capacity), String(rate)),
      unknownCapacity: (present: number) => unknownCapacity(num(present)),
      changeStatus: t('hq.table.changeStatus'),
      // Translated once and filled by string concatenation: a thousand rows each call this.
      changeStatusOf: fill(t('hq.table.changeStatusOf', { name: MARK })),
      languageName: languageNamer(lang),
    };
  }, [t, lang]);
}
