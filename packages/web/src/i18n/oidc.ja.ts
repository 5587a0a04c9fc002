/** Japanese strings of the oidc screens; oidc.en.ts must have the same keys (enforced by its type). */
export const oidcJa = {
  title: '',
};
