import { defineProblems } from '../kernel/errors.js';

/** OpenID Connect problems: client registration by staff and the resident's interaction API. */
export const OidcErrors = defineProblems({
  'oidc-client-not-found': { status: 404, ja: '連携サービスが見つかりません。', en: 'Client (joint-use service) not found.' },
  'oidc-redirect-uri-invalid': {
    status: 400,
    ja: 'リダイレクトURIが正しくありません（https、または開発時のみ http://localhost / 127.0.0.1）: {uri}',
    en: 'Invalid redirect URI (https only; http://localhost or 127.0.0.1 outside production): {uri}',
  },
  'oidc-interaction-not-found': { status: 404, ja: 'ログイン手続きが見つからないか、期限が切れました。連携サービスからやり直してください。', en: 'This login has expired or was not found. Start again from the service.' },
  'oidc-interaction-wrong-step': { status: 409, ja: 'この手続きは現在の段階では行えません（{prompt}）。', en: 'This step does not apply now (current step: {prompt}).' },
  'oidc-resident-login-required': { status: 401, ja: 'マイナンバーカードでログインしてください。', en: 'Log in with your My Number Card.' },
  'oidc-acr-insufficient': {
    status: 403,
    ja: 'このサービスには、マイナンバーカードと暗証番号によるログインが必要です。',
    en: 'This service requires logging in with your My Number Card and its PIN.',
  },
  'oidc-reauthentication-required': {
    status: 403,
    ja: 'このサービスは、いまマイナンバーカードで改めて本人確認することを求めています。',
    en: 'This service asks you to confirm who you are with your My Number Card again now.',
  },
  'oidc-resident-not-eligible': {
    status: 403,
    ja: 'このサービスは、お住まいの自治体では利用できません。',
    en: 'This service is not available to residents of your municipality.',
  },
});
