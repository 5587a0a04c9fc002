import type { shelterJa } from './shelter.ja';

/** English strings of the shelter screens. */
export const shelterEn: typeof shelterJa = {
  title: 'Shelter',
  navLabel: 'Shelter operations',
};
