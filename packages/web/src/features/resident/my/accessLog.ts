import type { TFunction } from 'i18next';
import type { AccessLogEntry } from '../../../api/resident';

/** Audit action codes with a plain-language sentence (resident.my.actions.*). */
const ACTION_KEYS = {
  'registration.register': 'registrationRegister',
  'registration.card-login': 'registrationCardLogin',
  'registration.consent.withdraw': 'consentWithdraw',
  'portal.consent.withdraw': 'consentWithdraw',
  'consent.withdraw': 'consentWithdraw',
  'registration.consent.export': 'consentExport',
  'portal.consent.export': 'consentExport',
  'consent.export': 'consentExport',
  'portal.consent.give': 'consentGive',
  'registration.consent.give': 'consentGive',
  'consent.give': 'consentGive',
  'portal.login': 'portalLogin',
  'portal.logout': 'portalLogout',
  'vault.read': 'vaultRead',
  'vault.write': 'vaultWrite',
  'vault.find': 'vaultFind',
  'vault.delete': 'vaultDelete',
  'identity.verify': 'identityVerify',
  'identity.identify': 'identityIdentify',
  'identity.card.bind': 'cardBind',
  'identity.card.suspend': 'cardSuspend',
  'portal.card.suspend': 'cardSuspend',
  'identity.card.rebind': 'cardRebind',
  'qr.validate': 'qrValidate',
  'qr.issue': 'qrIssue',
  'portal.qr.issue': 'qrIssue',
  'qr.card.issue': 'qrCardIssue',
  'qr.card.revoke': 'qrCardRevoke',
  'oidc.authorize': 'oidcAuthorize',
  'oidc.login': 'oidcAuthorize',
  'shelter.safety-search': 'safetySearch',
  'shelter.safety-search.answered': 'safetySearchAnswered',
} as const;

type ActionKey = (typeof ACTION_KEYS)[keyof typeof ACTION_KEYS];

function actionKey(action: string): ActionKey | undefined {
  if (Object.prototype.hasOwnProperty.call(ACTION_KEYS, action)) return ACTION_KEYS[action as keyof typeof ACTION_KEYS];
  // Codes of domains added later still read well when their ending is known.
  if (action.endsWith('.consent.withdraw')) return 'consentWithdraw';
  if (action.endsWith('.consent.give')) return 'consentGive';
  if (action.endsWith('.card.suspend')) return 'cardSuspend';
  return undefined;
}

const CATEGORY_KEYS = ['basic', 'contact', 'household', 'health', 'needs', 'voting'] as const;
type CategoryKey = (typeof CATEGORY_KEYS)[number];
const isCategory = (c: string): c is CategoryKey => (CATEGORY_KEYS as readonly string[]).includes(c);

/** 「氏名・住所など、健康」 / "name, address and the like, health". */
export function categoriesText(t: TFunction, categories: string[], lang: 'ja' | 'en'): string {
  if (categories.length === 0) return t('resident.my.categories.none');
  return categories.map((c) => (isCategory(c) ? t(`resident.my.categories.${c}`) : c)).join(lang === 'en' ? ', ' : '、');
}

/** Who did it, in words: 「職員（yabu.admin）」「あなた」 … */
export function whoText(t: TFunction, e: Pick<AccessLogEntry, 'actorKind' | 'actor'>): string {
  switch (e.actorKind) {
    case 'staff':
      return t('resident.my.who.staff', { actor: e.actor });
    case 'resident':
      return t('resident.my.who.resident');
    case 'service':
      return t('resident.my.who.service', { actor: e.actor });
    case 'system':
      return t('resident.my.who.system');
    default:
      return t('resident.my.who.other', { actor: e.actor });
  }
}

/**
 * One access-log entry as a plain sentence: 「職員（yabu.admin）が、あなたの住民登録をしました。」.
 * Unknown action codes get a generic sentence that still names the code.
 */
export function accessSentence(t: TFunction, e: AccessLogEntry, lang: 'ja' | 'en'): string {
  const who = whoText(t, e);
  const key = actionKey(e.action);
  const categories = categoriesText(t, e.categories, lang);
  // English sentences start with the actor: capitalise it ("Staff member", "You", "The system").
  const whoCased = lang === 'en' ? who.charAt(0).toUpperCase() + who.slice(1) : who;
  if (!key) return t('resident.my.actions.unknown', { who: whoCased, action: e.action });
  return t(`resident.my.actions.${key}`, { who: whoCased, categories });
}
