import { defineProblems } from '../errors.js';

export const RegistrationErrors = defineProblems({
  'consent-not-found': { status: 404, ja: '同意記録が見つかりません。', en: 'Consent record not found.' },
});
