import type { EnvReader } from '../kernel/env.js';

/** The identity domain's settings (README, Configuration). */
export function readIdentityConfig(e: EnvReader) {
  return {
    /** Lifetime of a single-use card-touch challenge. */
    challengeTtlSeconds: e.int('KAZASHI_CHALLENGE_TTL_SECONDS', 120, { min: 10, max: 3600 }),
    /** PEM/DER files of the JPKI user-authentication CA certificates to trust. Empty outside production: the demo test CA. */
    jpkiTrustAnchors: e.files('KAZASHI_JPKI_TRUST_ANCHORS'),
    /** CRL files (DER or PEM) consulted for revocation; re-read when they change on disk. */
    jpkiCrlFiles: e.files('KAZASHI_JPKI_CRL_FILES'),
    /** OCSP responder URL consulted for revocation. */
    jpkiOcspUrl: e.url('KAZASHI_JPKI_OCSP_URL', ['http:', 'https:']),
  };
}
export type IdentitySettings = ReturnType<typeof readIdentityConfig>;
