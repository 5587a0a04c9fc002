import { defineProblems, KazashiError } from '../kernel/errors.js';
import { CardCheckError } from './certificate.js';
import { RevocationUnavailableError } from './revocation.js';

/**
 * Every way verifying a card touch can fail, each with its own stable code. None is a 401 (that
 * would read as the staff session ending) nor a 5xx: a card the platform cannot accept is the
 * request's problem, and an unreachable revocation source is a failed dependency (424), refused.
 */
export const IdentityErrors = defineProblems({
  'challenge-not-found': { status: 404, ja: 'チャレンジが見つかりません。カードの読み取りを最初からやり直してください。', en: 'Challenge not found. Start the card reading again.' },
  'challenge-expired': { status: 410, ja: 'チャレンジの有効期限が切れました。もう一度カードをかざしてください。', en: 'The challenge has expired. Touch the card again.' },
  'challenge-replayed': { status: 409, ja: 'このチャレンジは既に使用されています。もう一度カードをかざしてください。', en: 'This challenge has already been used. Touch the card again.' },
  'challenge-mismatch': { status: 409, ja: 'このチャレンジは別の目的または別のセッションで発行されたものです。', en: 'This challenge was issued for another purpose or another session.' },
  'certificate-malformed': { status: 422, ja: '証明書を読み取れませんでした。カードをかざし直してください。', en: 'The certificate cannot be read. Touch the card again.' },
  'certificate-untrusted': {
    status: 422,
    ja: '信頼できる認証局（利用者証明用）が発行した証明書ではありません。',
    en: 'The certificate is not issued by a trusted (user-authentication) certificate authority.',
  },
  'certificate-expired': {
    status: 422,
    ja: '利用者証明用電子証明書の有効期限（{notAfter}）が切れています。市区町村の窓口で更新してください。',
    en: 'The user-authentication certificate expired on {notAfter}. It can be renewed at the municipal office.',
  },
  'certificate-not-yet-valid': { status: 422, ja: '証明書の有効期間がまだ始まっていません（{notBefore} から）。', en: 'The certificate is not valid yet (from {notBefore}).' },
  'certificate-key-too-weak': { status: 422, ja: '証明書の鍵（{key}）が弱すぎます。RSA 2048 ビット以上が必要です。', en: 'The certificate key ({key}) is too weak: RSA with at least 2048 bits is required.' },
  'certificate-wrong-usage': {
    status: 422,
    ja: '利用者証明用電子証明書ではありません（{found}）。署名用電子証明書は使えません。',
    en: 'This is not a user-authentication certificate ({found}). The signing certificate cannot be used.',
  },
  'certificate-revoked': {
    status: 422,
    ja: 'この証明書は失効しています（住所・氏名の変更などで失効します）。市区町村の窓口で再発行を受けてください。',
    en: 'This certificate has been revoked (a change of address or name revokes it). It can be reissued at the municipal office.',
  },
  'revocation-unavailable': {
    status: 424,
    ja: '証明書の失効確認ができなかったため、確認を中止しました。しばらくしてから再度お試しください。',
    en: 'The certificate\'s revocation status could not be checked, so it was not accepted. Please try again later.',
  },
  'card-not-registered': { status: 404, ja: 'このカードは登録されていません。窓口で登録してください。', en: 'This card is not registered. Please register at the municipal office.' },
  'card-suspended': {
    status: 403,
    ja: 'このカードは利用停止されています（紛失の届出または更新済み）。窓口にお問い合わせください。',
    en: 'This card is suspended (reported lost or replaced by a renewed card). Please contact the municipal office.',
  },
  'card-already-registered': { status: 409, ja: 'このカードは既に登録されています。', en: 'This card is already registered.' },
  'signature-invalid': { status: 422, ja: 'カードの署名を確認できませんでした。もう一度カードをかざしてください。', en: 'The card\'s signature does not verify. Touch the card again.' },
});

/** The one place where failures of the certificate, signature and revocation checks become problems. */
export function identityProblem(err: unknown): KazashiError {
  if (err instanceof KazashiError) return err;
  if (err instanceof CardCheckError) return IdentityErrors[err.code](err.params, { cause: err });
  // Whatever a revocation checker throws means it could not answer: fail closed.
  if (err instanceof RevocationUnavailableError) return IdentityErrors['revocation-unavailable']({}, { cause: err });
  throw err;
}
