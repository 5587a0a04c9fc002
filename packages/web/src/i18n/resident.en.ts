import type { residentJa } from './resident.ja';

/** English strings of the resident screens. */
export const residentEn: typeof residentJa = {
  title: '',
};
