// The demo's municipalities: 養父市 and 朝来市 in one joint-use group (朝来市 has not joined points and
// health: the demo shows a service being refused).
import type { ServiceId } from './services.js';

export const DEMO_MUNICIPALITIES = [
  { code: '282227', nameJa: '養父市', nameEn: 'Yabu City', prefectureJa: '兵庫県', prefectureEn: 'Hyogo', prefix: 'yabu' },
  { code: '282251', nameJa: '朝来市', nameEn: 'Asago City', prefectureJa: '兵庫県', prefectureEn: 'Hyogo', prefix: 'asago' },
] as const;

export const DEMO_SERVICES: Record<string, ServiceId[]> = {
  '282227': ['identity', 'shelter', 'voting', 'events', 'points', 'health'],
  '282251': ['identity', 'shelter', 'voting', 'events'],
};

/** The demo fact other modules' seeds read: every demo municipality, with the prefix of its login names. */
export const DEMO_MUNICIPALITIES_FACT = 'municipality.demo';
export type DemoMunicipality = (typeof DEMO_MUNICIPALITIES)[number];
