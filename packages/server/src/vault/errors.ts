import { defineProblems } from '../kernel/errors.js';

export const VaultErrors = defineProblems({
  'vault-key-missing': { status: 503, ja: '自治体 {code} の暗号鍵が設定されていません。', en: 'No data key is configured for municipality {code}.' },
  'vault-unavailable': { status: 503, ja: '個人データ保管庫に接続できません。', en: 'The personal-data vault cannot be reached.' },
  'vault-migrating': { status: 503, ja: '保管庫の移行中のため、現在は更新できません。', en: 'The vault is being migrated; writes are paused.' },
  'vault-record-not-found': { status: 404, ja: '該当する個人データはありません。', en: 'No personal data of that category for this resident.' },
  'vault-same-location': { status: 409, ja: '保管庫は既にその場所にあります。', en: 'The vault is already at that location.' },
  'vault-target-not-empty': { status: 409, ja: '移行先に既にこの自治体のデータがあります。', en: 'The target vault already holds data of this municipality.' },
  'vault-migration-mismatch': {
    status: 409,
    ja: '移行の検証で不一致が見つかったため中止しました（{detail}）。元の保管庫で運用を続けます。',
    en: 'Migration aborted: verification found a mismatch ({detail}). The old vault stays in service.',
  },
  'vault-location-config': { status: 400, ja: '保管場所の設定が不足しています（{detail}）。', en: 'Vault location settings are incomplete ({detail}).' },
  'vault-integrity': { status: 500, ja: '個人データの復号に失敗しました。', en: 'A personal-data record failed its integrity check.' },
});
