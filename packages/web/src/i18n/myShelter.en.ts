import type { myShelterJa } from './myShelter.ja';

/** English strings of the myShelter screens. */
export const myShelterEn: typeof myShelterJa = {
  title: 'Shelter pre-registration and safety search',
};
