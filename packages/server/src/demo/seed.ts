import crypto from 'node:crypto';
import { seedDemoShelters } from '../shelter/demo.js';
import type { Platform } from '../platform/container.js';
import type { Role, StaffPrincipal } from '../kernel/callers.js';
import type { ServiceId } from '../municipality/services.js';

export class DemoRefusedError extends Error {
  constructor() {
    super('Demo data is never seeded when NODE_ENV=production.');
  }
}

export interface DemoLogin {
  loginName: string;
  municipalityCode: string;
  roles: Role[];
  totpSecret: string;
}

export interface DemoSeedResult {
  password: string;
  logins: DemoLogin[];
  residents: number;
  /** The demo staff as principals, by login name (the demo disaster is run by them; never printed). */
  staff: Record<string, StaffPrincipal>;
}

const MUNICIPALITIES = [
  { code: '282227', nameJa: '養父市', nameEn: 'Yabu City', prefectureJa: '兵庫県', prefectureEn: 'Hyogo', prefix: 'yabu' },
  { code: '282251', nameJa: '朝来市', nameEn: 'Asago City', prefectureJa: '兵庫県', prefectureEn: 'Hyogo', prefix: 'asago' },
] as const;

// Asago has not (yet) joined points and health: the demo shows a service being refused.
const SERVICES: Record<string, ServiceId[]> = {
  '282227': ['identity', 'shelter', 'voting', 'events', 'points', 'health'],
  '282251': ['identity', 'shelter', 'voting', 'events'],
};

const STAFF: { suffix: string; displayJa: string; roles: Role[]; only?: string }[] = [
  { suffix: 'platform', displayJa: '全体管理者', roles: ['platform_admin'], only: '282227' },
  { suffix: 'admin', displayJa: '自治体管理者', roles: ['municipal_admin'] },
  { suffix: 'shelter', displayJa: '避難所職員', roles: ['shelter_staff'] },
  { suffix: 'hq', displayJa: '災害対策本部', roles: ['disaster_hq'] },
  { suffix: 'election', displayJa: '選挙管理職員', roles: ['election_official'] },
];

// Fictional residents. Their values go to each municipality's vault, never to the platform DB.
export const DEMO_RESIDENTS: Record<string, { nameKanji: string; nameKana: string; address: string; birthDate: string; sex: string; phone: string }[]> = {
  '282227': [
    { nameKanji: '養父 花子', nameKana: 'ヤブ ハナコ', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: '2', phone: '079-662-0001' },
    { nameKanji: '八鹿 太郎', nameKana: 'ヨウカ タロウ', address: '兵庫県養父市八鹿町国木594番地の10', birthDate: '1952-11-03', sex: '1', phone: '079-662-0002' },
    { nameKanji: '大屋 みどり', nameKana: 'オオヤ ミドリ', address: '兵庫県養父市大屋町大杉1番地', birthDate: '1987-07-21', sex: '2', phone: '079-669-0003' },
  ],
  '282251': [
    { nameKanji: '朝来 一郎', nameKana: 'アサゴ イチロウ', address: '兵庫県朝来市和田山町東谷105番地', birthDate: '1945-02-28', sex: '1', phone: '079-672-0004' },
    { nameKanji: '生野 さくら', nameKana: 'イクノ サクラ', address: '兵庫県朝来市生野町口銀谷1番地', birthDate: '1960-09-09', sex: '2', phone: '079-679-0005' },
    { nameKanji: '竹田 健', nameKana: 'タケダ ケン', address: '兵庫県朝来市和田山町竹田363番地', birthDate: '1999-12-01', sex: '9', phone: '079-674-0006' },
  ],
};

/** A readable one-time password: four groups of four unambiguous characters. */
function demoPassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** True when the platform has no municipality yet (first start). */
export async function isEmpty(platform: Platform): Promise<boolean> {
  return (await platform.municipalities.publicDirectory()).length === 0;
}

/** 養父市 and 朝来市 in one joint-use group, staff for every role, and fictional residents in their vaults. */
export async function seedDemo(platform: Platform): Promise<DemoSeedResult> {
  if (platform.config.production) throw new DemoRefusedError();
  const password = demoPassword();
  const logins: DemoLogin[] = [];
  const staff: Record<string, StaffPrincipal> = {};
  for (const { prefix: _prefix, ...m } of MUNICIPALITIES) await platform.municipalities.create('system', m);
  const group = await platform.municipalities.createGroup('system', { nameJa: '但馬地域 共同利用グループ', nameEn: 'Tajima joint-use group' });
  for (const m of MUNICIPALITIES) await platform.municipalities.addMember('system', group.id, m.code, SERVICES[m.code]!);
  for (const m of MUNICIPALITIES) {
    for (const s of STAFF) {
      if (s.only && s.only !== m.code) continue;
      const loginName = `${m.prefix}.${s.suffix}`;
      const created = await platform.staff.create('system', m.code, { loginName, displayName: `${m.nameJa} ${s.displayJa}`, roles: s.roles, password });
      logins.push({ loginName, municipalityCode: m.code, roles: s.roles, totpSecret: created.totpSecret });
      const { id, displayName, municipalityCode, roles } = created.staff;
      staff[loginName] = { id, loginName, displayName, municipalityCode, roles };
    }
  }
  let residents = 0;
  for (const m of MUNICIPALITIES) {
    for (const r of DEMO_RESIDENTS[m.code]!) {
      const { phone, ...basic } = r;
      await platform.residents.register(m.code, { basic, contact: { phone } }, { actor: 'system:demo-seed', purpose: 'demo data', requestId: 'demo-seed' });
      residents++;
    }
  }
  await seedDemoShelters(platform);
  return { password, logins, residents, staff };
}

export function formatDemoLogins(result: DemoSeedResult, baseUrl: string): string {
  const lines = [
    '',
    '──────── Kazashi demo (デモ) ────────',
    `Staff login: ${baseUrl}/staff/login`,
    `One-time demo password (全アカウント共通・この画面にのみ表示): ${result.password}`,
    'Login ID            roles               TOTP secret (add to an authenticator app)',
    ...result.logins.map((l) => `${l.loginName.padEnd(20)}${l.roles.join(',').padEnd(20)}${l.totpSecret}`),
    'Current 6-digit code for a login: npm run kazashi -- staff totp <login>',
    `Residents with personal data in their municipality's vault: ${result.residents}`,
    '─────────────────────────────────────',
    '',
  ];
  return lines.join('\n');
}
