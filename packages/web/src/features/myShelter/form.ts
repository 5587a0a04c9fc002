import { isProblemError } from '../../api/api';
import type { PreRegisteredMember, PreRegistration, Sex } from '../../api/shelterTypes';
import type { ResidentProfile } from '../../api/resident';
import type { Lang } from '../../i18n';

/** A member while being edited: a stable key for React lists (evacueeId, or a fresh one for new members). */
export interface MemberDraft extends PreRegisteredMember {
  key: string;
}

export interface RegistrationDraft extends Omit<PreRegistration, 'members'> {
  members: MemberDraft[];
}

/** Languages offered in the form (ISO 639-1); anything else the server has is kept as it is. */
export const LANGUAGE_CODES = ['ja', 'en', 'zh', 'ko', 'vi', 'tl', 'pt', 'es', 'ne', 'id', 'th', 'my'] as const;

const SEX_CODES: Record<string, Sex> = { male: 'male', female: 'female', other: 'other', '1': 'male', '2': 'female', '9': 'other' };

let counter = 0;
function newKey(): string {
  counter += 1;
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `member-${Date.now()}-${counter}`;
}

export function blankMember(self: boolean): MemberDraft {
  return {
    key: newKey(),
    self,
    nameKanji: '',
    nameKana: '',
    birthDate: '',
    sex: '',
    allergies: '',
    medication: '',
    care: '',
    disability: '',
    pregnancy: false,
    infant: false,
    language: 'ja',
    notes: '',
  };
}

/** The card's birth date as YYYY-MM-DD when it already is one (the date input takes nothing else). */
function isoDate(value: string | null | undefined): string {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
}

/**
 * The form for a resident with no pre-registration yet: one member, the resident, with what the
 * card told the municipality at registration (name, birth date, sex) filled in to save typing.
 */
export function emptyDraft(profile: ResidentProfile | null | undefined): RegistrationDraft {
  const self = blankMember(true);
  if (profile) {
    self.nameKanji = profile.name ?? '';
    self.birthDate = isoDate(profile.birthDate);
    self.sex = SEX_CODES[profile.sex ?? ''] ?? '';
  }
  return { phone: '', pets: '', consentInquiry: false, consentJointUse: false, members: [self] };
}

/** A saved registration as a draft; the self member always first. */
export function toDraft(reg: PreRegistration): RegistrationDraft {
  const members = reg.members.map((m) => ({ ...m, key: m.evacueeId ?? newKey() }));
  members.sort((a, b) => Number(b.self) - Number(a.self));
  if (!members.some((m) => m.self)) members.unshift(blankMember(true));
  return { ...reg, members };
}

/** What PUT sends: the draft without the React keys, strings trimmed. */
export function toRequest(d: RegistrationDraft): PreRegistration {
  return {
    phone: d.phone.trim(),
    pets: d.pets.trim(),
    consentInquiry: d.consentInquiry,
    consentJointUse: d.consentJointUse,
    members: d.members.map(({ key: _key, ...m }) => ({
      ...(m.evacueeId ? { evacueeId: m.evacueeId } : {}),
      self: m.self,
      nameKanji: m.nameKanji.trim(),
      nameKana: m.nameKana.trim(),
      birthDate: m.birthDate,
      sex: m.sex,
      allergies: m.allergies.trim(),
      medication: m.medication.trim(),
      care: m.care.trim(),
      disability: m.disability.trim(),
      pregnancy: m.pregnancy,
      infant: m.infant,
      language: m.language,
      notes: m.notes.trim(),
    })),
  };
}

/**
 * The field errors of a problem+json answer, keyed like the form's fields: `phone`,
 * `members.0.nameKanji`. Server paths look like `body/members/0/nameKanji` (schema validation) or
 * `members[0].nameKanji`; both are accepted. Unknown paths are kept under their own key.
 */
export function fieldErrorMap(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isProblemError(error)) return out;
  for (const f of error.fieldErrors) {
    const key = normalisePath(f.path);
    if (!out.has(key)) out.set(key, f.message);
  }
  return out;
}

export function normalisePath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/^body(?=[/.[]|$)/, '')
    .split(/[/.[\]]+/)
    .filter(Boolean)
    .join('.');
}

/** Today as YYYY-MM-DD in Japan time (the latest birth date the form accepts). */
export function todayJst(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
}

/** A fresh idempotency key (UUID v4). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** 「11月28日 14:05」 / "28 November, 14:05" in Japan time: short enough to read at a glance. */
export function formatSince(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', {
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Tokyo',
  }).format(d);
}
