import { defineProblems } from '../kernel/errors.js';

export const MunicipalityErrors = defineProblems({
  'municipality-not-found': { status: 404, ja: '自治体 {code} は登録されていません。', en: 'Municipality {code} is not registered.' },
  'municipality-exists': { status: 409, ja: '自治体 {code} は既に登録されています。', en: 'Municipality {code} is already registered.' },
  'joint-use-group-not-found': { status: 404, ja: '共同利用グループが見つかりません。', en: 'Joint-use group not found.' },
  'already-a-member': { status: 409, ja: '自治体 {code} は既にこのグループの構成団体です。', en: 'Municipality {code} is already a member of this group.' },
  'not-a-member': { status: 404, ja: '自治体 {code} はこのグループの構成団体ではありません。', en: 'Municipality {code} is not a member of this group.' },
  'service-not-joined': {
    status: 403,
    ja: '{code} はサービス「{service}」の共同利用に参加していません。',
    en: 'Municipality {code} has not joined the service "{service}".',
  },
});
