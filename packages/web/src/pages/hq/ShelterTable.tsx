import { memo, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Need, ShelterStatus, ShelterSummary } from '../../api/shelterTypes';
import { localName } from '../../lib/localized';
import { Checkbox, SelectField, TextField } from '../../components/Field/Field';
import {
  CONGESTION_BADGE,
  CONGESTION_BAR,
  CONGESTION_MARK,
  congestionOf,
  occupancyPercent,
} from '../../components/ShelterMap/congestion';
import { NEEDS, STATUSES, type RowLabels } from './labels';

/** Above this many rows, rows off screen are not laid out or painted (content-visibility: auto). */
const LAZY_ROWS = 100;

type SortKey = 'name' | 'status' | 'present' | 'occupancy' | 'households' | 'needs' | 'fromOther';
type SortDir = 'asc' | 'desc';

/** Full first: the shelters HQ must act on come to the top when sorted by status. */
const STATUS_ORDER: Record<ShelterStatus, number> = { full: 0, open: 1, requested: 2, closed: 3 };

function needsTotal(s: ShelterSummary): number {
  let n = 0;
  for (const k of NEEDS) n += s.needs[k] ?? 0;
  return n;
}

export interface ShelterTableProps {
  shelters: ReadonlyMap<string, ShelterSummary>;
  labels: RowLabels;
  canCommand: boolean;
  /** Stable callback: opens the status panel for a shelter. */
  onChangeStatus: (shelterId: string) => void;
}

export function rowId(shelterId: string): string {
  return `hq-row-${shelterId}`;
}

/**
 * The live shelter table: sortable, filterable. Rows are memoised on their summary object, which
 * useHqLive replaces only for the shelters an event changed, so a live update renders a few rows.
 */
export function ShelterTable({ shelters, labels, canCommand, onChangeStatus }: ShelterTableProps) {
  const { t } = useTranslation();
  const captionId = useId();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<ShelterStatus | ''>('');
  const [need, setNeed] = useState<Need | 'any' | ''>('');
  const [crowdedOnly, setCrowdedOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'name', dir: 'asc' });

  const collator = useMemo(() => new Intl.Collator(labels.lang === 'en' ? 'en' : 'ja', { numeric: true }), [labels.lang]);

  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    const out: ShelterSummary[] = [];
    for (const s of shelters.values()) {
      if (status && s.status !== status) continue;
      if (need === 'any' && needsTotal(s) === 0) continue;
      if (need && need !== 'any' && (s.needs[need] ?? 0) === 0) continue;
      if (crowdedOnly && (s.occupancyRate === null || s.occupancyRate < 0.8) && s.status !== 'full') continue;
      if (q && !s.nameJa.toLowerCase().includes(q) && !s.nameEn.toLowerCase().includes(q)) continue;
      out.push(s);
    }
    const name = (s: ShelterSummary) => localName(s, labels.lang);
    const byName = (a: ShelterSummary, b: ShelterSummary) => collator.compare(name(a), name(b));
    const value: Record<Exclude<SortKey, 'name'>, (s: ShelterSummary) => number> = {
      status: (s) => STATUS_ORDER[s.status],
      present: (s) => s.present,
      occupancy: (s) => s.occupancyRate ?? -1,
      households: (s) => s.households,
      needs: needsTotal,
      fromOther: (s) => s.fromOtherMunicipalities,
    };
    const dir = sort.dir === 'asc' ? 1 : -1;
    const key = sort.key;
    out.sort(key === 'name' ? (a, b) => dir * byName(a, b) : (a, b) => dir * (value[key](a) - value[key](b)) || byName(a, b));
    return out;
  }, [shelters, text, status, need, crowdedOnly, sort, collator, labels.lang]);

  // Only long lists skip their off-screen rows (a skipped row's innerText is empty until it is scrolled to).
  const lazy = rows.length > LAZY_ROWS;

  const toggleSort = (key: SortKey) =>
    setSort((prev) =>
      prev.key === key
        ? { key, dir: prev.dir === 'asc' ? 'desc' : 'asc' }
        : // Counts are most useful largest first; names A→Z.
          { key, dir: key === 'name' || key === 'status' ? 'asc' : 'desc' },
    );

  const header = (key: SortKey, label: string) => (
    <SortHeader key={key} label={label} active={sort.key === key} dir={sort.dir} onClick={() => toggleSort(key)} />
  );

  return (
    <div className="flex flex-col gap-4">
      <fieldset className="grid gap-4 rounded-12 border border-solid-gray-420 p-4 sm:grid-cols-2 lg:grid-cols-4">
        <legend className="px-1 text-std-17B-170">{t('hq.filter.title')}</legend>
        <TextField
          id="hq-filter-text"
          label={t('hq.filter.text')}
          type="search"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <SelectField
          id="hq-filter-status"
          label={t('hq.filter.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as ShelterStatus | '')}
        >
          <option value="">{t('hq.filter.all')}</option>
          {STATUSES.filter((s) => s !== 'closed').map((s) => (
            <option key={s} value={s}>
              {labels.status[s]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="hq-filter-need"
          label={t('hq.filter.need')}
          value={need}
          onChange={(e) => setNeed(e.currentTarget.value as Need | 'any' | '')}
        >
          <option value="">{t('hq.filter.all')}</option>
          <option value="any">{t('hq.filter.anyNeed')}</option>
          {NEEDS.map((n) => (
            <option key={n} value={n}>
              {labels.needs[n]}
            </option>
          ))}
        </SelectField>
        <Checkbox
          id="hq-filter-crowded"
          label={t('hq.filter.crowdedOnly')}
          checked={crowdedOnly}
          onChange={(e) => setCrowdedOnly(e.currentTarget.checked)}
          className="self-end"
        />
      </fieldset>

      {/*
        An ARIA table of CSS grid rows rather than a <table>: a table lays out every row again when one
        cell changes (measured: ~50 ms per update with 1,000 rows), while independent grid rows with
        content-visibility: auto let the browser skip the rows off screen entirely.
      */}
      <div
        role="region"
        aria-labelledby={captionId}
        tabIndex={0}
        className="max-w-full overflow-x-auto rounded-8 border border-solid-gray-420"
      >
        <div id={captionId} className="sr-only">
          {t('hq.table.caption', { count: shelters.size, shown: rows.length })}
        </div>
        <div role="table" aria-labelledby={captionId} data-testid="hq-shelter-table" className="min-w-max text-left text-dns-16N-130">
          <div role="rowgroup" className="bg-solid-gray-50">
            <div role="row" className={`${gridClass(canCommand)} border-b-2 border-solid-gray-800`}>
              {header('name', t('hq.table.name'))}
              {header('status', t('hq.table.status'))}
              {header('present', t('hq.table.present'))}
              {header('occupancy', t('hq.table.occupancy'))}
              <div role="columnheader" className={thClass}>
                {t('hq.table.out')}
              </div>
              {header('households', t('hq.table.households'))}
              {header('needs', t('hq.table.needs'))}
              <div role="columnheader" className={thClass}>
                {t('hq.table.languages')}
              </div>
              {header('fromOther', t('hq.table.fromOther'))}
              {canCommand && (
                <div role="columnheader" className={thClass}>
                  {t('hq.table.actions')}
                </div>
              )}
            </div>
          </div>
          <div role="rowgroup" data-testid="hq-shelter-rows">
            {rows.map((s) => (
              <ShelterRow
                key={s.shelterId}
                s={s}
                labels={labels}
                canCommand={canCommand}
                lazy={lazy}
                onChangeStatus={onChangeStatus}
              />
            ))}
          </div>
        </div>
        {rows.length === 0 && (
          <p className="p-4">{shelters.size === 0 ? t('hq.table.noneOpen') : t('hq.table.empty')}</p>
        )}
      </div>
    </div>
  );
}

/** Fixed column widths: every row lays itself out alone, and the columns still line up. */
function gridClass(withActions: boolean): string {
  return withActions
    ? 'grid grid-cols-[16rem_9rem_7rem_15rem_5rem_7rem_16rem_11rem_8rem_10rem]'
    : 'grid grid-cols-[16rem_9rem_7rem_15rem_5rem_7rem_16rem_11rem_8rem]';
}

const thClass = 'flex items-end px-3 py-2 text-dns-16B-130';
const tdClass = 'px-3 py-2';
const numClass = 'px-3 py-2 text-right tabular-nums';

function SortHeader({ label, active, dir, onClick }: { label: string; active: boolean; dir: SortDir; onClick: () => void }) {
  return (
    <div role="columnheader" className={thClass} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        onClick={onClick}
        className="inline-flex min-h-11 cursor-pointer items-center gap-1 text-left underline underline-offset-[3px] hover:decoration-[3px]"
      >
        {label}
        <span aria-hidden="true" className="w-4 text-center">
          {active ? (dir === 'asc' ? '▲' : '▼') : '⇅'}
        </span>
      </button>
    </div>
  );
}

interface ShelterRowProps {
  s: ShelterSummary;
  labels: RowLabels;
  canCommand: boolean;
  /** Skip rendering while off screen (long lists). */
  lazy: boolean;
  onChangeStatus: (shelterId: string) => void;
}

/** One shelter. No hooks, no effects: it renders again only when its summary (or the language) changes. */
const ShelterRow = memo(function ShelterRow({ s, labels, canCommand, lazy, onChangeStatus }: ShelterRowProps) {
  const name = localName(s, labels.lang);
  const congestion = congestionOf(s.present, s.capacity, s.status);
  const percent = occupancyPercent(s.present, s.capacity);
  const needs = NEEDS.filter((n) => (s.needs[n] ?? 0) > 0);
  const languages = Object.entries(s.languages)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);

  return (
    <div
      role="row"
      id={rowId(s.shelterId)}
      tabIndex={-1}
      data-shelter-id={s.shelterId}
      data-status={s.status}
      className={`${gridClass(canCommand)} border-b border-solid-gray-200 last:border-b-0 even:bg-solid-gray-50/50 ${lazy ? '[contain-intrinsic-size:auto_4.5rem] [content-visibility:auto]' : ''} focus:outline-4 focus:outline-focus-yellow`}
    >
      <div role="rowheader" className={tdClass}>
        <span className="text-dns-16B-130">{name}</span>
        {s.kind === 'welfare' && (
          <span className="ml-2 inline-block rounded-4 border border-purple-800 px-1 text-dns-14N-130 text-purple-1000">
            {labels.kind.welfare}
          </span>
        )}
      </div>
      <div role="cell" className={tdClass}>
        <StatusBadge status={s.status} label={labels.status[s.status]} />
      </div>
      <div role="cell" className={`${numClass} text-dns-16B-130`} data-testid={`present-${s.shelterId}`}>
        {s.present}
      </div>
      <div role="cell" className={`${tdClass} flex flex-col gap-1`}>
        <span className="tabular-nums">
          {s.capacity !== null && percent !== null
            ? labels.ratio(s.present, s.capacity, percent)
            : labels.unknownCapacity(s.present)}
        </span>
        {/* The bar repeats the number visually; the congestion word goes with it. */}
        <span className="flex items-center gap-2">
          <span aria-hidden="true" className="h-3 w-24 shrink-0 overflow-hidden rounded-full border border-solid-gray-600 bg-white">
            <span className={`block h-full ${CONGESTION_BAR[congestion]}`} style={{ width: `${Math.min(percent ?? 0, 100)}%` }} />
          </span>
          <span className={`whitespace-nowrap rounded-4 border px-1 text-dns-14N-130 ${CONGESTION_BADGE[congestion]}`}>
            <span aria-hidden="true">{CONGESTION_MARK[congestion]} </span>
            {labels.congestion[congestion]}
          </span>
        </span>
      </div>
      <div role="cell" className={numClass}>
        {labels.num(s.out)}
      </div>
      <div role="cell" className={numClass}>
        {labels.num(s.households)}
      </div>
      <div role="cell" className={tdClass}>
        {needs.length === 0 ? (
          <span className="text-solid-gray-700">{labels.none}</span>
        ) : (
          <ul className="flex flex-wrap gap-1">
            {needs.map((n) => (
              <li key={n} className="rounded-4 border border-blue-900 bg-blue-50 px-1 text-dns-14N-130 text-blue-1100">
                {labels.needs[n]} {labels.num(s.needs[n])}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="cell" className={tdClass}>
        {languages.length === 0 ? (
          <span className="text-solid-gray-700">{labels.none}</span>
        ) : (
          <ul className="flex flex-wrap gap-x-2">
            {languages.map(([code, n]) => (
              <li key={code}>
                <span lang={code}>{labels.languageName(code)}</span> <span className="tabular-nums">{labels.num(n)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="cell" className={numClass}>
        {labels.num(s.fromOtherMunicipalities)}
      </div>
      {canCommand && (
        <div role="cell" className={tdClass}>
          <button
            type="button"
            onClick={() => onChangeStatus(s.shelterId)}
            aria-label={labels.changeStatusOf(name)}
            className="inline-flex min-h-11 cursor-pointer items-center rounded-8 border-2 border-blue-900 bg-white px-3 text-oln-16B-100 text-blue-900 hover:bg-blue-50 hover:underline"
          >
            {labels.changeStatus}
          </button>
        </div>
      )}
    </div>
  );
});

const STATUS_BADGE: Record<ShelterStatus, { cls: string; mark: string }> = {
  open: { cls: 'border-green-800 bg-green-50 text-green-1000', mark: '●' },
  full: { cls: 'border-red-900 bg-red-50 text-red-1000', mark: '■' },
  requested: { cls: 'border-yellow-800 bg-yellow-50 text-yellow-1100', mark: '◐' },
  closed: { cls: 'border-solid-gray-600 bg-solid-gray-50 text-solid-gray-800', mark: '○' },
};

/** A status word with a mark (the colour is never the only signal). */
export function StatusBadge({ status, label }: { status: ShelterStatus; label: string }) {
  const b = STATUS_BADGE[status];
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap rounded-4 border px-2 text-dns-16B-130 ${b.cls}`}>
      <span aria-hidden="true">{b.mark}</span>
      {label}
    </span>
  );
}
