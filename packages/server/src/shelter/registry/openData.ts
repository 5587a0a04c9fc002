// The municipal standard open data set 指定緊急避難場所一覧 (recommended data set), parsed and written
// as CSV. Pure: no database, no I/O, so the import validates every row before anything is written.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { HAZARDS, type Hazard } from '../schema.js';
import type { Localized, ShelterKind } from '../contract.js';

/** Hazard columns in the standard order, with the Japanese hazard words. */
export const HAZARD_COLUMNS: readonly { hazard: Hazard; ja: string }[] = [
  { hazard: 'flood', ja: '洪水' },
  { hazard: 'landslide', ja: '崖崩れ、土石流及び地滑り' },
  { hazard: 'storm_surge', ja: '高潮' },
  { hazard: 'earthquake', ja: '地震' },
  { hazard: 'tsunami', ja: '津波' },
  { hazard: 'fire', ja: '大規模な火事' },
  { hazard: 'inland_flood', ja: '内水氾濫' },
  { hazard: 'volcano', ja: '火山現象' },
];

/** The standard columns in the standard order, then ours (種別, night capacity, national ID). */
export const CSV_COLUMNS = [
  '全国地方公共団体コード', 'ID', '地方公共団体名', '名称', '名称_カナ', '名称_英字', '所在地_連結表記',
  '緯度', '経度', '標高', '電話番号',
  ...HAZARD_COLUMNS.map((h) => `災害種別_${h.ja}`),
  '指定避難所との重複', '想定収容人数', '対象となる町会・自治会', 'URL', '備考',
  '種別', '想定収容人数(夜間)', '全国避難所ID',
] as const;

/** One shelter as the open data describes it (what the registry stores, minus operational state). */
export interface ShelterRecord {
  localId: string;
  nationalId: string | null;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  address: string;
  latitude: string | null;
  longitude: string | null;
  elevation: string | null;
  phone: string;
  hazards: Hazard[];
  alsoEvacuationCentre: boolean;
  kind: ShelterKind;
  capacity: number | null;
  capacityNight: number | null;
  targetArea: string;
  url: string;
  note: string;
}

export interface CsvRowError {
  /** 1-based as a spreadsheet shows it: the header is row 1, the first data row is row 2. */
  row: number;
  column: string;
  message: Localized;
}

export interface ParsedCsv {
  rows: { row: number; record: ShelterRecord }[];
  errors: CsvRowError[];
}

// Column names seen in published files vary: with or without the 災害種別_ prefix, full-width
// parentheses, stray spaces. Normalise before matching.
const normHeader = (h: string) => h.normalize('NFKC').replace(/\s+/g, '');
const ALIASES = new Map<string, string>();
for (const c of CSV_COLUMNS) ALIASES.set(normHeader(c), c);
for (const h of HAZARD_COLUMNS) ALIASES.set(normHeader(h.ja), `災害種別_${h.ja}`);
ALIASES.set(normHeader('住所'), '所在地_連結表記');
ALIASES.set(normHeader('所在地'), '所在地_連結表記');

const DECIMAL = /^-?\d+(\.\d+)?$/;
const KINDS: Record<string, ShelterKind> = { 一般: 'general', 福祉: 'welfare', general: 'general', welfare: 'welfare', '': 'general' };

const msg = (ja: string, en: string): Localized => ({ ja, en });

/** A flag cell: 1/0/empty; ○ (and ◯, 〇) as published by some municipalities. */
function flag(value: string): boolean | undefined {
  const v = value.normalize('NFKC').trim();
  if (v === '1' || v === '○' || v === '◯' || v === '〇') return true;
  if (v === '0' || v === '' || v === '×' || v === '-') return false;
  return undefined;
}

/** Parses the CSV text (UTF-8, BOM tolerated). Every problem is a row error; nothing throws on bad data. */
export function parseSheltersCsv(text: string, opts: { municipalityCode?: string } = {}): ParsedCsv {
  const errors: CsvRowError[] = [];
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return { rows: [], errors: [{ row: line, column: '', message: msg(`CSV として読めません: ${(err as Error).message}`, `Not readable as CSV: ${(err as Error).message}`) }] };
  }
  const header = records[0];
  if (!header) return { rows: [], errors: [{ row: 1, column: '', message: msg('CSV が空です。', 'The CSV is empty.') }] };
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const c = ALIASES.get(normHeader(h));
    if (c && !index.has(c)) index.set(c, i);
  });
  for (const required of ['ID', '名称']) {
    if (!index.has(required)) errors.push({ row: 1, column: required, message: msg(`見出し行に「${required}」列がありません。`, `The header has no "${required}" column.`) });
  }
  if (errors.length) return { rows: [], errors };

  const rows: ParsedCsv['rows'] = [];
  const seenIds = new Map<string, number>();
  const seenNational = new Map<string, number>();
  for (let i = 1; i < records.length; i++) {
    const rec = records[i]!;
    const row = i + 1;
    const cell = (c: string) => { const at = index.get(c); return at === undefined ? '' : (rec[at] ?? '').trim(); };
    const fail = (column: string, ja: string, en: string) => errors.push({ row, column, message: msg(ja, en) });
    const before = errors.length;

    const code = cell('全国地方公共団体コード');
    if (opts.municipalityCode && code && code !== opts.municipalityCode) {
      fail('全国地方公共団体コード', `全国地方公共団体コード ${code} がこの自治体（${opts.municipalityCode}）と違います。`, `Municipality code ${code} is not this municipality's (${opts.municipalityCode}).`);
    }
    const localId = cell('ID');
    if (!localId) fail('ID', 'ID が空です。', 'ID is empty.');
    else if (seenIds.has(localId)) fail('ID', `ID「${localId}」が ${seenIds.get(localId)} 行目と重複しています。`, `ID "${localId}" duplicates row ${seenIds.get(localId)}.`);
    else seenIds.set(localId, row);
    const nameJa = cell('名称');
    if (!nameJa) fail('名称', '名称が空です。', 'The name (名称) is empty.');

    const coordinate = (column: '緯度' | '経度', limit: number): string | null => {
      const v = cell(column).normalize('NFKC');
      if (!v) return null;
      if (!DECIMAL.test(v) || Math.abs(Number(v)) > limit) {
        fail(column, `${column}「${v}」は -${limit}〜${limit} の数値で書いてください。`, `${column === '緯度' ? 'Latitude' : 'Longitude'} "${v}" must be a number between -${limit} and ${limit}.`);
        return null;
      }
      return v;
    };
    const latitude = coordinate('緯度', 90);
    const longitude = coordinate('経度', 180);
    const elevationText = cell('標高').normalize('NFKC');
    let elevation: string | null = null;
    if (elevationText) {
      if (DECIMAL.test(elevationText)) elevation = elevationText;
      else fail('標高', `標高「${elevationText}」は数値（メートル）で書いてください。`, `Elevation "${elevationText}" must be a number (metres).`);
    }

    const hazards: Hazard[] = [];
    for (const h of HAZARD_COLUMNS) {
      const column = `災害種別_${h.ja}`;
      const f = flag(cell(column));
      if (f === undefined) fail(column, `${column}「${cell(column)}」は 1、0 または空欄にしてください。`, `${column} "${cell(column)}" must be 1, 0 or empty.`);
      else if (f) hazards.push(h.hazard);
    }
    const overlap = flag(cell('指定避難所との重複'));
    if (overlap === undefined) fail('指定避難所との重複', `指定避難所との重複「${cell('指定避難所との重複')}」は 1、0 または空欄にしてください。`, `指定避難所との重複 "${cell('指定避難所との重複')}" must be 1, 0 or empty.`);

    const count = (column: string): number | null => {
      const v = cell(column).normalize('NFKC').replace(/,/g, '');
      if (!v) return null;
      if (!/^\d+$/.test(v) || Number(v) > 2_000_000_000) {
        fail(column, `${column}「${cell(column)}」は 0 以上の整数で書いてください。`, `${column} "${cell(column)}" must be a whole number ≥ 0.`);
        return null;
      }
      return Number(v);
    };
    const capacity = count('想定収容人数');
    const capacityNight = count('想定収容人数(夜間)');

    const kindText = cell('種別');
    const kind = KINDS[kindText];
    if (!kind) fail('種別', `種別「${kindText}」は「一般」か「福祉」にしてください。`, `種別 "${kindText}" must be 一般 (general) or 福祉 (welfare).`);

    const nationalText = cell('全国避難所ID').normalize('NFKC');
    let nationalId: string | null = null;
    if (nationalText) {
      if (!/^[0-9A-Za-z]{14}$/.test(nationalText)) {
        fail('全国避難所ID', `全国避難所ID「${nationalText}」は14桁の英数字で書いてください（${nationalText.length}文字です）。`, `The national shelter ID "${nationalText}" must be 14 letters or digits (it has ${nationalText.length}).`);
      } else if (seenNational.has(nationalText)) {
        fail('全国避難所ID', `全国避難所ID「${nationalText}」が ${seenNational.get(nationalText)} 行目と重複しています。`, `National shelter ID "${nationalText}" duplicates row ${seenNational.get(nationalText)}.`);
      } else {
        seenNational.set(nationalText, row);
        nationalId = nationalText;
      }
    }
    const url = cell('URL');
    if (url && !/^https?:\/\/\S+$/.test(url)) fail('URL', `URL「${url}」は http:// または https:// で始めてください。`, `URL "${url}" must start with http:// or https://.`);

    if (errors.length > before) continue;
    rows.push({
      row,
      record: {
        localId, nationalId, nameJa, nameKana: cell('名称_カナ'), nameEn: cell('名称_英字'), address: cell('所在地_連結表記'),
        latitude, longitude, elevation, phone: cell('電話番号'), hazards, alsoEvacuationCentre: overlap === true, kind: kind!,
        capacity, capacityNight, targetArea: cell('対象となる町会・自治会'), url, note: cell('備考'),
      },
    });
  }
  return { rows, errors };
}

/** Normalises hazards to the standard order (so comparisons and exports are stable). */
export function orderedHazards(hazards: readonly string[]): Hazard[] {
  return HAZARDS.filter((h) => hazards.includes(h));
}

/**
 * Writes the open data CSV: UTF-8 with a BOM and CRLF (what spreadsheet software in Japan opens
 * correctly), standard columns first, flags as 1 or empty.
 */
export function serializeSheltersCsv(municipality: { code: string; nameJa: string }, records: readonly ShelterRecord[]): string {
  const data = records.map((r) => [
    municipality.code, r.localId, municipality.nameJa, r.nameJa, r.nameKana, r.nameEn, r.address,
    r.latitude ?? '', r.longitude ?? '', r.elevation ?? '', r.phone,
    ...HAZARD_COLUMNS.map((h) => (r.hazards.includes(h.hazard) ? '1' : '')),
    r.alsoEvacuationCentre ? '1' : '', r.capacity ?? '', r.targetArea, r.url, r.note,
    r.kind === 'welfare' ? '福祉' : '一般', r.capacityNight ?? '', r.nationalId ?? '',
  ].map(String));
  // Quote any field with a line break too: csv-stringify only quotes the record delimiter itself.
  return '\uFEFF' + stringify([[...CSV_COLUMNS], ...data], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
