/** The services a municipality can join under a joint-use agreement (共同利用). */
export const SERVICES = [
  { id: 'identity', nameJa: '共通認証', nameEn: 'Common authentication' },
  { id: 'shelter', nameJa: '避難所', nameEn: 'Evacuation shelters' },
  { id: 'voting', nameJa: '投票', nameEn: 'Online voting' },
  { id: 'events', nameJa: 'イベント', nameEn: 'Events' },
  { id: 'points', nameJa: 'ポイント', nameEn: 'Local points' },
  { id: 'health', nameJa: '健康', nameEn: 'Healthy ageing' },
] as const;

export type ServiceId = (typeof SERVICES)[number]['id'];
export const SERVICE_IDS = SERVICES.map((s) => s.id) as ServiceId[];
