import { memo, useCallback, useId, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type Ref } from 'react';
import { flushSync } from 'react-dom';
import { defaultRangeExtractor, useWindowVirtualizer, type Range } from '@tanstack/react-virtual';
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

/**
 * Above this many rows the table is windowed: only the rows on screen (plus OVERSCAN either side)
 * exist in the DOM. Creating all 1,000 rows of a large disaster (~40 elements each) took ~0.6 s in
 * Chromium on a 2-core machine, which alone broke the 1 s budget for the dashboard; windowing
 * renders only the few dozen rows that can be seen. Shorter lists render every row, as before.
 */
const LAZY_ROWS = 100;
/** Rows rendered beyond each edge of the viewport, so that a scroll or a Tab shows a row at once. */
const OVERSCAN = 8;
/** Estimated row height before a row is measured (4.5rem: one line, a badge and the occupancy bar). */
const ESTIMATED_ROW_PX = 72;
const estimateSize = () => ESTIMATED_ROW_PX;

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

/** What the page can ask of the table; a windowed table may not have the row in the DOM yet. */
export interface ShelterTableHandle {
  /**
   * Scrolls a shelter's row into view and focuses it ('row'), or its change-status button ('button').
   * Does nothing when the filters hide the shelter.
   */
  focusRow: (shelterId: string, target?: 'row' | 'button') => void;
}

function focusInRow(row: HTMLElement, target: 'row' | 'button', preventScroll: boolean): void {
  const el = target === 'button' ? row.querySelector('button') : row;
  el?.focus({ preventScroll });
}

/**
 * The live shelter table: sortable, filterable. Rows are memoised on their summary object, which
 * useHqLive replaces only for the shelters an event changed, so a live update renders a few rows.
 */
export function ShelterTable({
  shelters,
  labels,
  canCommand,
  onChangeStatus,
  ref,
}: ShelterTableProps & { ref?: Ref<ShelterTableHandle> }) {
  const { t } = useTranslation();
  const captionId = useId();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<ShelterStatus | ''>('');
  const [need, setNeed] = useState<Need | 'any' | ''>('');
  const [crowdedOnly, setCrowdedOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'name', dir: 'asc' });

  const lang = labels.lang;
  const collator = useMemo(() => new Intl.Collator(lang === 'en' ? 'en' : 'ja', { numeric: true }), [lang]);

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
    const name = (s: ShelterSummary) => localName(s, lang);
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
  }, [shelters, text, status, need, crowdedOnly, sort, collator, lang]);

  // Only long lists are windowed; short ones keep every row in the DOM (find-in-page, tests).
  const windowed = rows.length > LAZY_ROWS;
  const indexOf = useMemo(() => new Map(rows.map((s, i) => [s.shelterId, i])), [rows]);

  // The page scrolls, not the table (no nested scroll box): the virtualizer needs to know where the
  // rows start in the document. Measured after every render and whenever the page's height changes
  // (a panel or message above the table appears or goes).
  const rowsRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const measureMargin = useCallback(() => {
    const el = rowsRef.current;
    if (el) setScrollMargin(Math.round(el.getBoundingClientRect().top + window.scrollY));
  }, []);
  useLayoutEffect(() => {
    if (windowed) measureMargin();
  });
  useLayoutEffect(() => {
    if (!windowed) return;
    const observer = new ResizeObserver(measureMargin);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [windowed, measureMargin]);

  // The row holding focus (or about to receive it) stays rendered even when scrolled out of the
  // window, so that focus is never dropped to the page body.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [requestedId, setRequestedId] = useState<string | null>(null);
  const pinnedId = requestedId ?? focusedId;
  const pinned = pinnedId === null ? undefined : indexOf.get(pinnedId);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (pinned === undefined || indexes.includes(pinned)) return indexes;
      return [...indexes, pinned].sort((a, b) => a - b);
    },
    [pinned],
  );

  const getItemKey = useCallback((i: number) => rows[i]?.shelterId ?? i, [rows]);
  const virtualizer = useWindowVirtualizer<HTMLDivElement>({
    count: windowed ? rows.length : 0,
    enabled: windowed,
    estimateSize,
    overscan: OVERSCAN,
    scrollMargin,
    // Sizes are cached by shelter, so a sort or filter does not lose the rows' measured heights.
    getItemKey,
    rangeExtractor,
  });

  useImperativeHandle(
    ref,
    () => ({
      focusRow(shelterId, target = 'row') {
        if (!windowed) {
          const row = document.getElementById(rowId(shelterId));
          if (!row) return;
          if (target === 'row') row.scrollIntoView({ block: 'center' });
          focusInRow(row, target, false);
          return;
        }
        const index = indexOf.get(shelterId);
        if (index === undefined) return;
        // The row may be far outside the window: render it first (pinned), then scroll to it and focus it
        // (the focus pins it from then on). Called from handlers and animation frames, never while rendering.
        flushSync(() => setRequestedId(shelterId));
        const row = document.getElementById(rowId(shelterId));
        if (row) {
          virtualizer.scrollToIndex(index, { align: target === 'row' ? 'center' : 'auto' });
          focusInRow(row, target, true);
        }
        setRequestedId(null);
      },
    }),
    [windowed, indexOf, virtualizer],
  );

  const onRowsFocus = (e: FocusEvent<HTMLDivElement>) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('[data-shelter-id]')?.dataset.shelterId ?? null;
    setFocusedId(id);
  };
  const onRowsBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusedId(null);
  };

  const items = windowed ? virtualizer.getVirtualItems() : [];

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
        fixed column widths lay out alone, which also lets a long list be windowed.
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
        <div
          role="table"
          aria-labelledby={captionId}
          // Windowed: tell assistive technology the full size (the header row and every filtered row).
          aria-rowcount={windowed ? rows.length + 1 : undefined}
          data-testid="hq-shelter-table"
          className="min-w-max text-left text-dns-16N-130"
        >
          <div role="rowgroup" className="bg-solid-gray-50">
            <div
              role="row"
              aria-rowindex={windowed ? 1 : undefined}
              className={`${gridClass(canCommand)} border-b-2 border-solid-gray-800`}
            >
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
          {windowed ? (
            // Rows are placed absolutely in a rowgroup as tall as all of them, so the page's scrollbar
            // reflects the whole list; each row is measured, since wrapped badges make some taller.
            <div
              role="rowgroup"
              data-testid="hq-shelter-rows"
              ref={rowsRef}
              className="relative"
              style={{ height: virtualizer.getTotalSize() }}
              onFocus={onRowsFocus}
              onBlur={onRowsBlur}
            >
              {items.map((item) => {
                const s = rows[item.index]!;
                return (
                  <ShelterRow
                    key={s.shelterId}
                    s={s}
                    labels={labels}
                    canCommand={canCommand}
                    onChangeStatus={onChangeStatus}
                    index={item.index}
                    last={item.index === rows.length - 1}
                    offset={item.start - scrollMargin}
                    measureRef={virtualizer.measureElement}
                  />
                );
              })}
            </div>
          ) : (
            <div role="rowgroup" data-testid="hq-shelter-rows" ref={rowsRef}>
              {rows.map((s) => (
                <ShelterRow key={s.shelterId} s={s} labels={labels} canCommand={canCommand} onChangeStatus={onChangeStatus} />
              ))}
            </div>
          )}
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
  onChangeStatus: (shelterId: string) => void;
  /** Windowed tables only: the row's position among the filtered rows (0-based). */
  index?: number;
  /** Windowed tables only: whether this is the last of the filtered rows. */
  last?: boolean;
  /** Windowed tables only: the row's top within its rowgroup, in px. */
  offset?: number;
  /** Windowed tables only: measures the row (the virtualizer's measureElement, a stable function). */
  measureRef?: (el: HTMLDivElement | null) => void;
}

/** One shelter. No hooks, no effects: it renders again only when its summary (or the language) changes. */
const ShelterRow = memo(function ShelterRow({
  s,
  labels,
  canCommand,
  onChangeStatus,
  index,
  last,
  offset,
  measureRef,
}: ShelterRowProps) {
  const name = localName(s, labels.lang);
  const congestion = congestionOf(s.present, s.capacity, s.status);
  const percent = occupancyPercent(s.present, s.capacity);
  const needs = NEEDS.filter((n) => (s.needs[n] ?? 0) > 0);
  const languages = Object.entries(s.languages)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);

  // In a window the DOM siblings are not the list, so stripes and the last border follow the index.
  const windowed = index !== undefined;
  const rowClass = windowed
    ? // z-10: a focused row's outline stays above the next row (each positioned row paints over the last).
      `absolute left-0 top-0 w-full border-solid-gray-200 focus-within:z-10 ${last ? '' : 'border-b'} ${index % 2 === 1 ? 'bg-solid-gray-50/50' : 'bg-white'}`
    : 'border-b border-solid-gray-200 last:border-b-0 even:bg-solid-gray-50/50';

  return (
    <div
      role="row"
      ref={measureRef}
      id={rowId(s.shelterId)}
      tabIndex={-1}
      data-shelter-id={s.shelterId}
      data-status={s.status}
      data-index={index}
      aria-rowindex={windowed ? index + 2 : undefined}
      style={windowed ? { transform: `translateY(${offset}px)` } : undefined}
      className={`${gridClass(canCommand)} ${rowClass} focus:outline-4 focus:outline-focus-yellow`}
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
