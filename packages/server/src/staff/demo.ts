// The demo's staff: one account per role in each demo municipality (the platform admin in 養父市 only),
// one shared one-time password, each with its own TOTP secret, printed at the first start.
import crypto from 'node:crypto';
import type { Role, StaffPrincipal } from '../kernel/callers.js';

export const DEMO_STAFF: { suffix: string; displayJa: string; roles: Role[]; only?: string }[] = [
  { suffix: 'platform', displayJa: '全体管理者', roles: ['platform_admin'], only: '282227' },
  { suffix: 'admin', displayJa: '自治体管理者', roles: ['municipal_admin'] },
  { suffix: 'shelter', displayJa: '避難所職員', roles: ['shelter_staff'] },
  { suffix: 'hq', displayJa: '災害対策本部', roles: ['disaster_hq'] },
  { suffix: 'election', displayJa: '選挙管理職員', roles: ['election_official'] },
];

export interface DemoLogin {
  loginName: string;
  municipalityCode: string;
  roles: Role[];
  totpSecret: string;
}

/** The demo facts the staff seed leaves for the others and the start-up banner. */
export const DEMO_STAFF_FACT = 'staff.demo';
export interface DemoStaffFact {
  password: string;
  logins: DemoLogin[];
  /** The demo staff as principals, by login name (a demo scenario is run by them; never printed). */
  staff: Record<string, StaffPrincipal>;
}

/** A readable one-time password: four groups of four unambiguous characters. */
export function demoPassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
