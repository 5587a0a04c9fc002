import type { hqJa } from './hq.ja';

/** English strings of the hq screens. */
export const hqEn: typeof hqJa = {
  title: 'Disaster HQ',
  navLabel: 'Disaster HQ',
  registry: { navLabel: 'Shelter registry' },
};
