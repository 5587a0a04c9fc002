/** Japanese strings of the supplies screens; supplies.en.ts must have the same keys (enforced by its type). */
export const suppliesJa = {
  title: '物資',
};
