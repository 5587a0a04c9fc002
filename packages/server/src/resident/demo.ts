// Fictional residents of the demo municipalities. Their values go to each municipality's vault,
// never to the platform database.
export const DEMO_RESIDENTS: Record<string, { nameKanji: string; nameKana: string; address: string; birthDate: string; sex: string; phone: string }[]> = {
  '282227': [
    { nameKanji: '養父 花子', nameKana: 'ヤブ ハナコ', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: '2', phone: '079-662-0001' },
    { nameKanji: '八鹿 太郎', nameKana: 'ヨウカ タロウ', address: '兵庫県養父市八鹿町国木594番地の10', birthDate: '1952-11-03', sex: '1', phone: '079-662-0002' },
    { nameKanji: '大屋 みどり', nameKana: 'オオヤ ミドリ', address: '兵庫県養父市大屋町大杉1番地', birthDate: '1987-07-21', sex: '2', phone: '079-669-0003' },
  ],
  '282251': [
    { nameKanji: '朝来 一郎', nameKana: 'アサゴ イチロウ', address: '兵庫県朝来市和田山町東谷105番地', birthDate: '1945-02-28', sex: '1', phone: '079-672-0004' },
    { nameKanji: '生野 さくら', nameKana: 'イクノ サクラ', address: '兵庫県朝来市生野町口銀谷1番地', birthDate: '1960-09-09', sex: '2', phone: '079-679-0005' },
    { nameKanji: '竹田 健', nameKana: 'タケダ ケン', address: '兵庫県朝来市和田山町竹田363番地', birthDate: '1999-12-01', sex: '9', phone: '079-674-0006' },
  ],
};

/** The demo fact: how many residents the seed registered. */
export const DEMO_RESIDENTS_FACT = 'resident.demo';
