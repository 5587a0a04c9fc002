/** Japanese strings of the shelter screens; shelter.en.ts must have the same keys (enforced by its type). */
export const shelterJa = {
  title: '避難所',
  navLabel: '避難所運営',
};
