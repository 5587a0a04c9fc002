/** Japanese strings of the myShelter screens; myShelter.en.ts must have the same keys (enforced by its type). */
export const myShelterJa = {
  title: '避難所の事前登録と安否確認',
};
