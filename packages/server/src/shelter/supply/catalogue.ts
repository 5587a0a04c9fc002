import type { SupplyItem } from '../contract.js';

/**
 * The supply catalogue (物資品目). Rates follow common municipal stockpile planning (Cabinet Office
 * guidance: 3 L of water and 3 meals per person per day; toilet packs 5 per person per day).
 * perPersonPerDay null: requested by count, not estimated from occupancy.
 */
export const SUPPLY_CATALOGUE: readonly SupplyItem[] = [
  { code: 'water', nameJa: '飲料水', nameEn: 'Drinking water', unitJa: 'L', unitEn: 'L', perPersonPerDay: 3, forNeed: null },
  { code: 'meal', nameJa: '食料（食）', nameEn: 'Meals', unitJa: '食', unitEn: 'meals', perPersonPerDay: 3, forNeed: null },
  { code: 'meal-allergen-free', nameJa: 'アレルギー対応食', nameEn: 'Allergen-free meals', unitJa: '食', unitEn: 'meals', perPersonPerDay: 3, forNeed: 'allergy' },
  { code: 'toilet-pack', nameJa: '携帯トイレ', nameEn: 'Toilet packs', unitJa: '回分', unitEn: 'uses', perPersonPerDay: 5, forNeed: null },
  { code: 'infant-formula', nameJa: '乳児用ミルク', nameEn: 'Infant formula', unitJa: '本', unitEn: 'bottles', perPersonPerDay: 6, forNeed: 'infant' },
  { code: 'diapers-infant', nameJa: '乳幼児用おむつ', nameEn: 'Baby diapers', unitJa: '枚', unitEn: 'pieces', perPersonPerDay: 8, forNeed: 'infant' },
  { code: 'diapers-adult', nameJa: '大人用おむつ', nameEn: 'Adult diapers', unitJa: '枚', unitEn: 'pieces', perPersonPerDay: 4, forNeed: 'care' },
  { code: 'pet-food', nameJa: 'ペットフード', nameEn: 'Pet food', unitJa: '食', unitEn: 'meals', perPersonPerDay: 2, forNeed: 'pet' },
  { code: 'blanket', nameJa: '毛布', nameEn: 'Blankets', unitJa: '枚', unitEn: 'pieces', perPersonPerDay: null, forNeed: null },
  { code: 'sanitary', nameJa: '生理用品', nameEn: 'Sanitary items', unitJa: '個', unitEn: 'pieces', perPersonPerDay: null, forNeed: null },
  { code: 'mask', nameJa: 'マスク', nameEn: 'Masks', unitJa: '枚', unitEn: 'pieces', perPersonPerDay: 1, forNeed: null },
];

/** Blankets are one per person for the whole stay, not per day. */
export const PER_PERSON_ONCE: Readonly<Record<string, number>> = { blanket: 1 };

export function catalogueItem(code: string): SupplyItem | undefined {
  return SUPPLY_CATALOGUE.find((i) => i.code === code);
}

/** Demand for `days` from the people present (and, for forNeed items, those with the need). */
export function estimateItem(item: SupplyItem, present: number, needCount: number, days: number): number {
  const people = item.forNeed ? needCount : present;
  if (item.perPersonPerDay !== null) return Math.ceil(people * item.perPersonPerDay * days);
  return Math.ceil(people * (PER_PERSON_ONCE[item.code] ?? 0));
}
