import { defineProblems } from '../kernel/errors.js';

/** Problems of shelter operations. Messages are read by tired staff: say what happened and what to do. */
export const ShelterErrors = defineProblems({
  'shelter-not-found': {
    status: 404,
    ja: '避難所が見つかりません。',
    en: 'Shelter not found.',
  },
  'shelter-closed': {
    status: 409,
    ja: '避難所「{shelter}」は開設されていません。災害対策本部に開設を依頼してください。',
    en: 'Shelter "{shelter}" is not open. Ask disaster HQ to open it.',
  },
  'shelter-full': {
    status: 409,
    ja: '避難所「{shelter}」は満員です（{occupancy}/{capacity}人）。他の避難所を案内するか、責任者の判断で受け入れる場合は「満員でも受け入れる」を選んでください。',
    en: 'Shelter "{shelter}" is full ({occupancy}/{capacity}). Direct people to another shelter, or choose "accept although full" if the person in charge agrees.',
  },
  'disaster-not-found': {
    status: 404,
    ja: '災害が見つかりません。',
    en: 'Disaster not found.',
  },
  'disaster-ended': {
    status: 409,
    ja: 'この災害はすでに終了しています。',
    en: 'This disaster has already ended.',
  },
  'status-unchanged': {
    status: 409,
    ja: '避難所はすでに「{status}」です。',
    en: 'The shelter is already "{status}".',
  },
  'disaster-required': {
    status: 422,
    ja: '避難所を開設するには、対象の災害を選んでください。',
    en: 'Choose the disaster the shelter opens for.',
  },
  'evacuee-not-found': {
    status: 404,
    ja: '避難者が見つかりません。',
    en: 'Evacuee not found.',
  },
  'already-in-shelter': {
    status: 409,
    ja: 'この方はすでに「{shelter}」に入所しています（{since}から）。移動の場合は「避難所の移動」を選んでください。',
    en: 'This person is already checked in at "{shelter}" (since {since}). Use "transfer" to move them here.',
  },
  'not-in-shelter': {
    status: 409,
    ja: 'この方は現在入所していません（状態: {status}）。',
    en: 'This person is not currently checked in (status: {status}).',
  },
  'stay-not-found': {
    status: 404,
    ja: '入所記録が見つかりません。',
    en: 'Stay not found.',
  },
  'movement-not-allowed': {
    status: 409,
    ja: '現在の状態（{status}）では「{kind}」はできません。',
    en: '"{kind}" is not possible in the current status ({status}).',
  },
  'check-in-who-missing': {
    status: 422,
    ja: '入所する人を一つの方法で指定してください（事前登録の人、カード、QRコード、新規受付のいずれか）。',
    en: 'Say who checks in, one way only: pre-registered people, a card, a QR code, or a new intake.',
  },
  'recorded-time-invalid': {
    status: 422,
    ja: '記録時刻（{at}）が正しくありません（未来、または7日より前）。端末の時計を確認してください。',
    en: 'The recorded time ({at}) is invalid (in the future or more than 7 days ago). Check the device clock.',
  },
  'idempotency-key-reused': {
    status: 409,
    ja: 'この受付番号は別の内容ですでに使われています。画面を再読み込みしてやり直してください。',
    en: 'This request key was already used for different content. Reload and try again.',
  },
  'card-not-pre-registered': {
    status: 404,
    ja: 'このカードは事前登録されていません。「カードで新規受付」（券面事項入力補助用暗証番号）で受け付けてください。',
    en: 'This card is not pre-registered. Use "new intake with the card" (the 4-digit card PIN).',
  },
  'joint-use-not-allowed': {
    status: 403,
    ja: '{home}の住民は、この避難所では共同利用の対象外です。カードで新規受付をしてください。',
    en: 'Residents of {home} are not covered by a joint-use agreement here. Register them as a new intake with the card.',
  },
  'partner-by-card-only': {
    status: 403,
    ja: '共同利用先の自治体の住民は、ご本人のカードまたはQRコードで受け付けてください（番号での指定はできません）。',
    en: "A joint-use partner's resident is checked in by their own card or QR code, not by evacuee id.",
  },
  'household-not-found': {
    status: 404,
    ja: '指定された世帯は、この自治体で受け付けた世帯の中にありません。',
    en: 'No household with that id was registered by this municipality.',
  },
  'qr-other-municipality': {
    status: 403,
    ja: 'このQRコードは共同利用していない自治体（{home}）のものです。カードまたは職員入力で受け付けてください。',
    en: 'This QR code is from a municipality without joint use ({home}). Use the card or staff entry instead.',
  },
  'intake-code-used': {
    status: 409,
    ja: 'この受付カードは使用済みです。「個人のQRコード・使用済みの受付カード」として読み取ると、カードの方の受付になります。',
    en: 'This intake card is already in use. Read it as "personal QR code or used intake card" to check its holder in.',
  },
  'intake-code-unknown': {
    status: 404,
    ja: 'この受付カードは登録されていません。新しい受付として入力してください。',
    en: 'This intake card is not registered. Enter the person as a new intake.',
  },
  'pre-registration-not-found': {
    status: 404,
    ja: '避難所の事前登録がありません。',
    en: 'No shelter pre-registration yet.',
  },
  'csv-invalid': {
    status: 422,
    ja: 'CSV に誤りがあります（{count}件）。行ごとの誤りを直して、もう一度取り込んでください。何も取り込んでいません。',
    en: 'The CSV has {count} error(s). Fix the rows listed and import again. Nothing was imported.',
  },
  'safety-search-rate-limited': {
    status: 429,
    ja: '安否確認の検索回数が上限に達しました。{minutes}分後にもう一度お試しください。急ぎの場合は市町村の窓口へお問い合わせください。',
    en: 'Too many safety searches. Try again in {minutes} minutes, or ask the municipal office.',
  },
  'supply-item-unknown': {
    status: 422,
    ja: '物資「{item}」は品目一覧にありません。',
    en: 'Item "{item}" is not in the catalogue.',
  },
  'supply-transition-invalid': {
    status: 409,
    ja: '物資要請を「{from}」から「{to}」にはできません。',
    en: 'A supply request cannot go from "{from}" to "{to}".',
  },
  'supply-request-not-found': {
    status: 404,
    ja: '物資要請が見つかりません。',
    en: 'Supply request not found.',
  },
});
