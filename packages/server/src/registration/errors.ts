import { defineProblems } from '../kernel/errors.js';

export const RegistrationErrors = defineProblems({
  'consent-not-found': { status: 404, ja: '同意記録が見つかりません。', en: 'Consent record not found.' },
  'consent-recipient-not-partner': {
    status: 422,
    ja: '提供先（{recipients}）は、この自治体と同じ共同利用グループに参加していません。共同利用グループの構成団体だけを提供先にできます。',
    en: 'The recipients ({recipients}) are not in a joint-use group with this municipality. Only members of its joint-use groups can receive data.',
  },
});
