import { defineProblems } from '../errors.js';

export const ResidentErrors = defineProblems({
  'resident-not-found': { status: 404, ja: '住民が見つかりません。', en: 'Resident not found.' },
  'unknown-personal-field': { status: 400, ja: '区分「{category}」に項目「{field}」はありません。', en: 'Category "{category}" has no field "{field}".' },
});
