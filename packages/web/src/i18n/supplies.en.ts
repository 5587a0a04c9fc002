import type { suppliesJa } from './supplies.ja';

/** English strings of the supplies screens. */
export const suppliesEn: typeof suppliesJa = {
  title: 'Supplies',
};
