import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { currentLang, type Lang } from '../i18n';
import { ROLE_IDS, VAULT_LOCATIONS, type RoleId, type VaultLocation } from '../api/types';
import { ja } from '../i18n/ja';

export interface Bilingual {
  nameJa: string;
  nameEn: string;
}

/** The current UI language as 'ja' | 'en'. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return currentLang(i18n.resolvedLanguage ?? i18n.language);
}

export function localName(item: Bilingual, lang: Lang): string {
  return lang === 'en' ? item.nameEn || item.nameJa : item.nameJa || item.nameEn;
}

export function localPrefecture(item: { prefectureJa: string; prefectureEn: string }, lang: Lang): string {
  return lang === 'en' ? item.prefectureEn || item.prefectureJa : item.prefectureJa || item.prefectureEn;
}

/** 「朝来市（282251）」 / "Asago (282251)". */
export function withCode(name: string, code: string, lang: Lang): string {
  return lang === 'en' ? `${name} (${code})` : `${name}（${code}）`;
}

type ServiceKey = keyof typeof ja.services;

function isServiceKey(id: string): id is ServiceKey {
  return Object.prototype.hasOwnProperty.call(ja.services, id);
}

export function isRoleId(role: string): role is RoleId {
  return (ROLE_IDS as readonly string[]).includes(role);
}

export function isVaultLocation(v: string): v is VaultLocation {
  return (VAULT_LOCATIONS as readonly string[]).includes(v);
}

export function serviceLabel(t: TFunction, id: string): string {
  return isServiceKey(id) ? t(`services.${id}`) : id;
}

export function roleLabel(t: TFunction, role: string): string {
  return isRoleId(role) ? t(`roles.${role}`) : role;
}

export function vaultLabel(t: TFunction, location: string): string {
  return isVaultLocation(location) ? t(`vault.locations.${location}`) : location;
}
