/** Japanese strings of the counter screens; counter.en.ts must have the same keys (enforced by its type). */
export const counterJa = {
  title: '',
};
