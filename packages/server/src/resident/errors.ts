import { defineProblems } from '../kernel/errors.js';

export const ResidentErrors = defineProblems({
  'resident-not-found': { status: 404, ja: '住民が見つかりません。', en: 'Resident not found.' },
  'unknown-personal-field': { status: 400, ja: '区分「{category}」に項目「{field}」はありません。', en: 'Category "{category}" has no field "{field}".' },
  'resident-number-invalid': {
    status: 400,
    ja: '住民IDが正しくありません。6桁の数字を確認して、もう一度入力してください。',
    en: 'The resident ID is not valid. Check the six digits and enter it again.',
  },
  'resident-number-exhausted': { status: 503, ja: '住民IDを発行できませんでした。もう一度お試しください。', en: 'No resident ID could be issued. Please try again.' },
});
