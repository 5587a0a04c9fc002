// The open data CSV 指定緊急避難場所一覧 without a database: parsing published variants, per-row
// errors, and the export reading back to the same rows.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, parseSheltersCsv, serializeSheltersCsv } from './openData.js';

const HEADER = CSV_COLUMNS.join(',');
const row = (cells: Record<string, string>) => CSV_COLUMNS.map((c) => cells[c] ?? '').map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
const base = { 全国地方公共団体コード: '282227', ID: '001', 名称: '八鹿小学校', 緯度: '35.4071', 経度: '134.7682' };

describe('open data CSV', () => {
  it('parses a published variant: BOM, unprefixed hazard headers, ○ flags, full-width digits, LF line ends', () => {
    const text = '\uFEFF全国地方公共団体コード,ID,名称,緯度,経度,洪水,地震,津波,想定収容人数,指定避難所との重複\n'
      + '282227,001,八鹿小学校,３５.４０７１,134.7682,○,1,,"1,200",1\n';
    const { rows, errors } = parseSheltersCsv(text, { municipalityCode: '282227' });
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).toBe(2);
    expect(rows[0]!.record).toMatchObject({ localId: '001', latitude: '35.4071', hazards: ['flood', 'earthquake'], capacity: 1200, alsoEvacuationCentre: true, kind: 'general' });
  });

  it('reports each bad cell with its spreadsheet row number and column', () => {
    const text = [HEADER,
      row({ ...base, 緯度: '95.1' }),
      row({ ...base, ID: '002', 名称: '' }),
      row({ ...base, ID: '003', 災害種別_洪水: 'yes' }),
      row({ ...base, ID: '001' }),
      row({ ...base, ID: '005', 全国避難所ID: '2822270000001' }),
      row({ ...base, ID: '006', 想定収容人数: '-3', 種別: '特別' }),
      row({ ...base, ID: '007', 全国地方公共団体コード: '282251' }),
      row({ ...base, ID: '008' }),
    ].join('\r\n');
    const { rows, errors } = parseSheltersCsv(text, { municipalityCode: '282227' });
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, '緯度'], [3, '名称'], [4, '災害種別_洪水'], [5, 'ID'], [6, '全国避難所ID'], [7, '想定収容人数'], [7, '種別'], [8, '全国地方公共団体コード'],
    ]);
    expect(errors[4]!.message.ja).toContain('14桁');
    expect(errors[4]!.message.en).toContain('it has 13');
    expect(errors[3]!.message.en).toContain('duplicates row 2');
    expect(rows.map((r) => r.record.localId)).toEqual(['008']);
  });

  it('rejects a header without 名称 and unreadable CSV as errors, not exceptions', () => {
    expect(parseSheltersCsv('ID,緯度\n1,35').errors[0]).toMatchObject({ row: 1, column: '名称' });
    expect(parseSheltersCsv('ID,名称\n1,"unterminated\n').errors).toHaveLength(1);
    expect(parseSheltersCsv('').errors[0]!.row).toBe(1);
  });

  it('serialises with a BOM, CRLF, the standard columns first, and quotes commas, quotes and line breaks', () => {
    const csv = serializeSheltersCsv({ code: '282227', nameJa: '養父市' }, [{
      localId: '001', nationalId: '28222700000001', nameJa: '八鹿小学校', nameKana: 'ヨウカ', nameEn: 'Yoka ES, "main"', address: '養父市八鹿町',
      latitude: '35.4070', longitude: '134.7682', elevation: null, phone: '', hazards: ['volcano', 'flood'], alsoEvacuationCentre: false,
      kind: 'welfare', capacity: 0, capacityNight: null, targetArea: '', url: 'https://example.jp/a', note: '1階\n体育館',
    }]);
    expect(csv.startsWith('\uFEFF全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英字,所在地_連結表記,緯度,経度,標高,電話番号,災害種別_洪水,')).toBe(true);
    expect(csv).toContain(',指定避難所との重複,想定収容人数,対象となる町会・自治会,URL,備考,種別,想定収容人数(夜間),全国避難所ID\r\n');
    expect(csv).toContain('"Yoka ES, ""main"""');
    expect(csv).toContain('"1階\n体育館"');
    expect(csv.endsWith('\r\n')).toBe(true);
    const cells = parse(csv, { bom: true }) as string[][];
    expect(cells[1]![CSV_COLUMNS.indexOf('緯度')]).toBe('35.4070');
    expect(cells[1]![CSV_COLUMNS.indexOf('災害種別_洪水')]).toBe('1');
    expect(cells[1]![CSV_COLUMNS.indexOf('災害種別_地震')]).toBe('');
    expect(cells[1]![CSV_COLUMNS.indexOf('災害種別_火山現象')]).toBe('1');
    const back = parseSheltersCsv(csv);
    expect(back.errors).toEqual([]);
    expect(back.rows[0]!.record).toMatchObject({ hazards: ['flood', 'volcano'], kind: 'welfare', capacity: 0, note: '1階\n体育館', latitude: '35.4070' });
  });
});
