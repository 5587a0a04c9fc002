import type { oidcJa } from './oidc.ja';

/** English strings of the oidc screens. */
export const oidcEn: typeof oidcJa = {
  title: '',
};
