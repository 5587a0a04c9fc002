/** Japanese strings of the resident screens; resident.en.ts must have the same keys (enforced by its type). */
export const residentJa = {
  title: '',
};
