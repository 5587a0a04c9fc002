import { defineProblems } from '../kernel/errors.js';

/** QR problems. `qr-token-invalid` is deliberately uniform: it never says what was wrong with a token. */
export const QrErrors = defineProblems({
  'qr-token-invalid': { status: 400, ja: 'このQRコードは使用できません。', en: 'This QR code cannot be used.' },
  'qr-token-expired': { status: 410, ja: 'QRコードの有効期限が切れています。画面を更新して新しいQRコードを表示してください。', en: 'This QR code has expired. Refresh the screen to show a new one.' },
  'qr-token-replayed': { status: 409, ja: 'このQRコードは既に使用されています。新しいQRコードを表示してください。', en: 'This QR code has already been used. Show a new one.' },
  'qr-card-revoked': { status: 410, ja: 'このQRカードは無効化されています。窓口で再発行してください。', en: 'This QR card has been revoked. Ask at the counter for a new one.' },
  'qr-card-not-found': { status: 404, ja: 'QRカードが見つかりません。', en: 'QR card not found.' },
});
