/** Japanese strings of the hq screens; hq.en.ts must have the same keys (enforced by its type). */
export const hqJa = {
  title: '災害対策本部',
  navLabel: '災害対策本部',
  registry: { navLabel: '避難所台帳' },
};
