import { defineProblems } from '../kernel/errors.js';

export const StaffErrors = defineProblems({
  'invalid-credentials': { status: 401, ja: 'ログインIDまたはパスワードが正しくありません。', en: 'The login ID or password is incorrect.' },
  'totp-required': { status: 401, ja: '確認コード（6桁）を入力してください。', en: 'Enter the 6-digit verification code.' },
  'invalid-totp': { status: 401, ja: '確認コードが正しくないか、既に使用されています。', en: 'The verification code is wrong or has already been used.' },
  'account-locked': {
    status: 423,
    ja: 'ログインに続けて失敗したため、このアカウントは {until} までロックされています。管理者に解除を依頼することもできます。',
    en: 'Too many failed logins: this account is locked until {until}. An administrator can unlock it.',
  },
  'staff-not-found': { status: 404, ja: '職員アカウントが見つかりません。', en: 'Staff account not found.' },
  'login-name-taken': { status: 409, ja: 'ログインID「{loginName}」は既に使われています。', en: 'The login ID "{loginName}" is already taken.' },
  'weak-password': { status: 400, ja: 'パスワードは12文字以上にしてください。', en: 'The password must be at least 12 characters.' },
  'role-not-allowed': { status: 403, ja: '役割「{role}」を付与する権限がありません。', en: 'You may not grant the role "{role}".' },
});
