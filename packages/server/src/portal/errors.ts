import { defineProblems } from '../kernel/errors.js';

export const PortalErrors = defineProblems({
  'touch-only-not-allowed': {
    status: 403,
    ja: 'この手続き（{flow}）では、暗証番号なしのカードタッチによる本人確認は認められていません。カードと暗証番号で確認してください。',
    en: 'Touch-only identification (no PIN) is not allowed for this flow ({flow}). Use the card with its PIN.',
  },
  'card-pin-required': {
    status: 403,
    ja: 'この操作には、カードと暗証番号によるログインが必要です（カードをかざすだけのログインではできません）。',
    en: 'This needs a login with the card and its PIN (a touch-only login is not enough).',
  },
});
