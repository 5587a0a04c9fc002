import type { counterJa } from './counter.ja';

/** English strings of the counter screens. */
export const counterEn: typeof counterJa = {
  title: '',
};
