// The municipality domain: municipalities as tenants (全国地方公共団体コード), joint-use groups and the
// services each member has joined, kiosk touch-only flows. Other domains use only what is exported here.
import { defineModule } from '../kernel/module.js';
import * as contract from './contract.js';
import { DEMO_MUNICIPALITIES, DEMO_MUNICIPALITIES_FACT, DEMO_SERVICES } from './demo.js';
import { municipalityRoutes } from './routes.js';
import * as tables from './schema.js';
import { MunicipalityService } from './service.js';

export { assertMunicipalityCode, isValidMunicipalityCode, municipalityCheckDigit } from '../kernel/tenancy/municipalityCode.js';
export { MunicipalityErrors } from './errors.js';
export { MunicipalityService, type GroupView, type MemberView } from './service.js';
export type {
  JointUseGroup, JointUseGroupInput, JointUseGroupRef, JointUseMember, JointUseMemberInput, JointUseServicesInput, MunicipalityInput, MunicipalityPatch,
  MunicipalityView, PublicMunicipality, ServiceJoined, ServiceView, TouchOnlyFlows, TouchOnlyFlowsInput,
} from './contract.js';
export { SERVICE_IDS, SERVICES, type ServiceId } from './services.js';
export { DEMO_MUNICIPALITIES, DEMO_MUNICIPALITIES_FACT, type DemoMunicipality } from './demo.js';
export { municipality } from './schema.js';
export { TOUCH_ONLY_FLOW } from './service.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'municipality:create': true;
    'municipality:edit': true;
    'jointuse:create': true;
    'jointuse:manage': true;
  }
}

export const municipalityModule = defineModule({
  name: 'municipality',
  summary: 'Municipalities as tenants, joint-use groups and the services each member has joined',
  permissions: {
    'municipality:create': { description: 'Register a municipality', roles: ['platform_admin'] },
    'municipality:edit': { description: "Edit a municipality's names and kiosk flows", roles: ['platform_admin', 'municipal_admin'] },
    'jointuse:create': { description: 'Create joint-use groups and add members', roles: ['platform_admin'] },
    'jointuse:manage': { description: "Change the services a member has joined", roles: ['platform_admin', 'municipal_admin'] },
  },
  tables,
  services: (kit) => ({ municipalities: new MunicipalityService(kit.db) }),
  ports: (s) => ({ serviceGate: { requireService: (code, service) => s.municipalities.requireService(code, service) } }),
  schemas: contract,
  hasData: async (s) => (await s.municipalities.publicDirectory()).length > 0,
  routes: (app, kit) => municipalityRoutes(app, { municipalities: kit.services.municipalities, guard: kit.ports.staffGuard }),
  seed: async ({ services: { municipalities }, demo }) => {
    for (const { prefix: _prefix, ...m } of DEMO_MUNICIPALITIES) await municipalities.create('system', m);
    const group = await municipalities.createGroup('system', { nameJa: '但馬地域 共同利用グループ', nameEn: 'Tajima joint-use group' });
    for (const m of DEMO_MUNICIPALITIES) await municipalities.addMember('system', group.id, m.code, DEMO_SERVICES[m.code]!);
    demo.facts.set(DEMO_MUNICIPALITIES_FACT, DEMO_MUNICIPALITIES);
  },
  navigation: [
    { path: '/admin/municipalities', labelKey: 'admin.municipalities', permission: 'municipality:edit', area: 'admin' },
    { path: '/admin/joint-use', labelKey: 'admin.jointUse', permission: 'jointuse:manage', area: 'admin' },
    { path: '/admin/touch-only', labelKey: 'counter.touchOnly.navLabel', permission: 'municipality:edit', area: 'admin' },
  ],
});
