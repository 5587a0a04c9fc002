// Demo shelter registries of 養父市 and 朝来市: schools and community centres (plausible, not the
// official lists), loaded through the same CSV import a municipality uses: one import each.
import type { ShelterServices } from './index.js';
import type { StaffPrincipal } from '../kernel/callers.js';
import { serializeSheltersCsv, type ShelterRecord } from './registry/openData.js';
import type { Hazard, Need } from './schema.js';

type Demo = Pick<ShelterRecord, 'localId' | 'nameJa' | 'nameKana' | 'nameEn' | 'address' | 'latitude' | 'longitude' | 'elevation'>
  & { hazards: Hazard[]; capacity: number; kind?: 'welfare'; phone: string; targetArea: string };

const ALL_BUT_WATER: Hazard[] = ['landslide', 'earthquake', 'fire'];
const RIVERSIDE_SAFE: Hazard[] = ['flood', 'landslide', 'earthquake', 'fire', 'inland_flood'];

const YABU: Demo[] = [
  { localId: '001', nameJa: '養父市立八鹿小学校', nameKana: 'ヤブシリツヨウカショウガッコウ', nameEn: 'Yoka Elementary School', address: '兵庫県養父市八鹿町八鹿1200', latitude: '35.4071', longitude: '134.7682', elevation: '82', hazards: RIVERSIDE_SAFE, capacity: 620, phone: '079-662-2001', targetArea: '八鹿区、下網場区' },
  { localId: '002', nameJa: '八鹿公民館', nameKana: 'ヨウカコウミンカン', nameEn: 'Yoka Community Hall', address: '兵庫県養父市八鹿町八鹿1675', latitude: '35.4095', longitude: '134.7640', elevation: '85', hazards: ALL_BUT_WATER, capacity: 250, phone: '079-662-3161', targetArea: '八鹿区' },
  { localId: '003', nameJa: '養父市立宿南小学校', nameKana: 'ヤブシリツシュクナミショウガッコウ', nameEn: 'Shukunami Elementary School', address: '兵庫県養父市八鹿町宿南600', latitude: '35.4183', longitude: '134.7879', elevation: '70', hazards: RIVERSIDE_SAFE, capacity: 480, phone: '079-662-2245', targetArea: '宿南地区' },
  { localId: '004', nameJa: '養父市立伊佐小学校', nameKana: 'ヤブシリツイサショウガッコウ', nameEn: 'Isa Elementary School', address: '兵庫県養父市八鹿町伊佐330', latitude: '35.3952', longitude: '134.7531', elevation: '95', hazards: ALL_BUT_WATER, capacity: 410, phone: '079-662-2350', targetArea: '伊佐地区' },
  { localId: '005', nameJa: '養父市立養父小学校', nameKana: 'ヤブシリツヤブショウガッコウ', nameEn: 'Yabu Elementary School', address: '兵庫県養父市養父市場100', latitude: '35.3768', longitude: '134.7652', elevation: '90', hazards: RIVERSIDE_SAFE, capacity: 530, phone: '079-664-0016', targetArea: '養父地区' },
  { localId: '006', nameJa: '養父市立大屋小学校', nameKana: 'ヤブシリツオオヤショウガッコウ', nameEn: 'Oya Elementary School', address: '兵庫県養父市大屋町大屋市場50', latitude: '35.3570', longitude: '134.6755', elevation: '170', hazards: ALL_BUT_WATER, capacity: 380, phone: '079-669-0016', targetArea: '大屋地区' },
  { localId: '007', nameJa: '関宮地区公民館', nameKana: 'セキノミヤチクコウミンカン', nameEn: 'Sekinomiya Community Hall', address: '兵庫県養父市関宮615', latitude: '35.3897', longitude: '134.6611', elevation: '190', hazards: ['earthquake', 'fire'], capacity: 200, phone: '079-667-2331', targetArea: '関宮地区' },
  { localId: '008', nameJa: '養父市福祉センター', nameKana: 'ヤブシフクシセンター', nameEn: 'Yabu Welfare Centre', address: '兵庫県養父市八鹿町八鹿1220', latitude: '35.4060', longitude: '134.7699', elevation: '83', hazards: ['flood', 'earthquake', 'fire'], capacity: 60, kind: 'welfare', phone: '079-662-7610', targetArea: '市内全域（要配慮者）' },
];

const ASAGO: Demo[] = [
  { localId: 'A01', nameJa: '朝来市立和田山小学校', nameKana: 'アサゴシリツワダヤマショウガッコウ', nameEn: 'Wadayama Elementary School', address: '兵庫県朝来市和田山町和田山1', latitude: '35.3421', longitude: '134.8518', elevation: '100', hazards: RIVERSIDE_SAFE, capacity: 700, phone: '079-672-2201', targetArea: '和田山地区' },
  { localId: 'A02', nameJa: '朝来市立和田山中学校', nameKana: 'アサゴシリツワダヤマチュウガッコウ', nameEn: 'Wadayama Junior High School', address: '兵庫県朝来市和田山町東谷105', latitude: '35.3380', longitude: '134.8575', elevation: '110', hazards: RIVERSIDE_SAFE, capacity: 650, phone: '079-672-3355', targetArea: '和田山地区' },
  { localId: 'A03', nameJa: '和田山ジュピターホール', nameKana: 'ワダヤマジュピターホール', nameEn: 'Wadayama Jupiter Hall', address: '兵庫県朝来市和田山町玉置877', latitude: '35.3462', longitude: '134.8460', elevation: '98', hazards: ALL_BUT_WATER, capacity: 300, phone: '079-670-1002', targetArea: '玉置、枚田' },
  { localId: 'A04', nameJa: '朝来市立竹田小学校', nameKana: 'アサゴシリツタケダショウガッコウ', nameEn: 'Takeda Elementary School', address: '兵庫県朝来市和田山町竹田1120', latitude: '35.3050', longitude: '134.8300', elevation: '120', hazards: ['landslide', 'earthquake', 'fire'], capacity: 360, phone: '079-674-0018', targetArea: '竹田地区' },
  { localId: 'A05', nameJa: '朝来市立梁瀬小学校', nameKana: 'アサゴシリツヤナセショウガッコウ', nameEn: 'Yanase Elementary School', address: '兵庫県朝来市山東町大月90', latitude: '35.3287', longitude: '134.9063', elevation: '135', hazards: RIVERSIDE_SAFE, capacity: 420, phone: '079-676-2010', targetArea: '山東地区' },
  { localId: 'A06', nameJa: '朝来市立山口小学校', nameKana: 'アサゴシリツヤマグチショウガッコウ', nameEn: 'Yamaguchi Elementary School', address: '兵庫県朝来市山内1', latitude: '35.2906', longitude: '134.8462', elevation: '150', hazards: ALL_BUT_WATER, capacity: 330, phone: '079-677-0120', targetArea: '山口地区' },
  { localId: 'A07', nameJa: '朝来市立生野小学校', nameKana: 'アサゴシリツイクノショウガッコウ', nameEn: 'Ikuno Elementary School', address: '兵庫県朝来市生野町口銀谷600', latitude: '35.1669', longitude: '134.7932', elevation: '320', hazards: ['earthquake', 'fire'], capacity: 400, phone: '079-679-2055', targetArea: '生野地区' },
  { localId: 'A08', nameJa: '朝来市健康福祉センター', nameKana: 'アサゴシケンコウフクシセンター', nameEn: 'Asago Health and Welfare Centre', address: '兵庫県朝来市和田山町東谷213', latitude: '35.3366', longitude: '134.8541', elevation: '105', hazards: ['flood', 'earthquake', 'fire'], capacity: 50, kind: 'welfare', phone: '079-672-6112', targetArea: '市内全域（要配慮者）' },
];

function records(list: Demo[]): ShelterRecord[] {
  return list.map((d) => ({
    ...d, nationalId: null, alsoEvacuationCentre: true, kind: d.kind ?? 'general',
    // Sleeping space at night is roughly two thirds of the daytime figure.
    capacityNight: Math.floor((d.capacity * 2) / 3), url: '', note: d.kind === 'welfare' ? '要配慮者向けの福祉避難所です。\n一般の方は近くの避難所へ。' : '',
  }));
}

/** Seeds each demo municipality's shelter registry (real-looking designated shelters). Idempotent. */
export async function seedDemoShelters(platform: { shelters: Pick<ShelterServices, 'registry'> }): Promise<number> {
  let total = 0;
  for (const [code, nameJa, list] of [['282227', '養父市', YABU], ['282251', '朝来市', ASAGO]] as const) {
    const csv = serializeSheltersCsv({ code, nameJa }, records(list));
    const report = await platform.shelters.registry.importAs(code, csv, { actor: 'system:demo-seed', requestId: 'demo-seed', dryRun: false });
    total += report.created + report.updated + report.unchanged;
  }
  return total;
}

// ─── The demo disaster (npm start only) ────────────────────────────────────────────────────────

type DemoPerson = { nameKanji: string; nameKana: string; birthDate: string; sex: 'male' | 'female'; needs?: Need[]; language?: string };

/** Fictional households already checked in when the demo starts: localId of the shelter, then its people. */
const YABU_EVACUEES: [string, DemoPerson[]][] = [
  ['001', [
    { nameKanji: '円山 一夫', nameKana: 'マルヤマ カズオ', birthDate: '1941-06-02', sex: 'male', needs: ['care', 'medication'] },
    { nameKanji: '円山 静江', nameKana: 'マルヤマ シズエ', birthDate: '1944-01-15', sex: 'female', needs: ['medication'] },
  ]],
  ['001', [
    { nameKanji: '八木 真由美', nameKana: 'ヤギ マユミ', birthDate: '1993-08-30', sex: 'female' },
    { nameKanji: '八木 陽太', nameKana: 'ヤギ ヒナタ', birthDate: '2025-12-01', sex: 'male', needs: ['infant', 'allergy'] },
  ]],
  ['001', [{ nameKanji: 'グエン ヴァン アン', nameKana: 'グエン ヴァン アン', birthDate: '1998-04-04', sex: 'male', language: 'vi' }]],
  ['002', [{ nameKanji: '上山 トメ', nameKana: 'ウエヤマ トメ', birthDate: '1936-10-10', sex: 'female', needs: ['care', 'disability'] }]],
  ['002', [
    { nameKanji: '建屋 大輔', nameKana: 'タテヤ ダイスケ', birthDate: '1979-02-11', sex: 'male', needs: ['pet'] },
    { nameKanji: '建屋 恵', nameKana: 'タテヤ メグミ', birthDate: '1981-07-07', sex: 'female', needs: ['pregnancy'] },
  ]],
  ['005', [{ nameKanji: 'スミス エミリー', nameKana: 'スミス エミリー', birthDate: '1990-05-05', sex: 'female', language: 'en', needs: ['allergy'] }]],
];

/**
 * A flood under way in 養父市, so that a first `npm start` shows every screen with something in it: the
 * disaster declared by the demo HQ account, three shelters open (the welfare shelter asked for), a few
 * households checked in by the demo shelter staff (walk-ins entered by staff: their names go to the
 * vault), and a supply request. Through the same services as the screens, so it is audited like them.
 * Never in tests or production (see server.ts).
 */
export async function seedDemoDisaster(platform: { shelters: ShelterServices }, staff: { hq: StaffPrincipal; shelter: StaffPrincipal }): Promise<{ disasterId: string; stays: number }> {
  const code = '282227';
  const { registry, stays, supplies } = platform.shelters;
  const hq = { staff: staff.hq, requestId: 'demo-seed' };
  const disaster = await registry.declareDisaster(hq, code, {
    kind: 'flood', nameJa: '令和8年 円山川洪水（デモ）', nameEn: 'Maruyama River flood (demo)', area: '八鹿・養父地区',
  });
  const byLocalId = new Map((await registry.list(staff.hq, code)).map((s) => [s.localId, s.id]));
  const shelterOf = (localId: string) => {
    const id = byLocalId.get(localId);
    if (!id) throw new Error(`demo shelter ${localId} is missing`);
    return id;
  };
  for (const localId of ['001', '002', '005']) await registry.setStatus(hq, code, shelterOf(localId), { status: 'open', disasterId: disaster.id });
  await registry.setStatus(hq, code, shelterOf('008'), { status: 'requested', disasterId: disaster.id });

  const caller = { staff: staff.shelter, sessionToken: '', requestId: 'demo-seed' };
  let n = 0;
  for (const [localId, people] of YABU_EVACUEES) {
    let householdId: string | undefined;
    for (const p of people) {
      const r = await stays.checkIn(caller, code, shelterOf(localId), {
        idempotencyKey: `demo-${++n}`,
        walkIn: { source: 'staff-entry', ...p, needs: p.needs ?? [], consentInquiry: true, ...(householdId ? { householdId } : {}) },
      });
      householdId = r.stays[0]!.householdId;
    }
  }
  await supplies.request({ staff: staff.shelter, requestId: 'demo-seed' }, code, shelterOf('001'), {
    idempotencyKey: 'demo-supply-1', itemCode: 'infant-formula', needed: 24, inStock: 6, stockStatus: 'short', note: '乳児1名（アレルギー対応のもの）',
  });
  return { disasterId: disaster.id, stays: n };
}
