// The staff domain: accounts and roles, password + TOTP login, sessions, lockouts. It provides the
// kernel's staff guard. Other domains use only what is exported here.
import { auditModule } from '../audit/index.js';
import type { StaffPrincipal } from '../kernel/callers.js';
import { staffGuard } from '../kernel/http/auth.js';
import { defineModule } from '../kernel/module.js';
import { DEMO_MUNICIPALITIES_FACT, type DemoMunicipality } from '../municipality/index.js';
import * as contract from './contract.js';
import { DEMO_STAFF, DEMO_STAFF_FACT, demoPassword, type DemoLogin, type DemoStaffFact } from './demo.js';
import { staffRoutes } from './routes.js';
import * as tables from './schema.js';
import { StaffService } from './service.js';

export { StaffService, type StaffSession, type StaffView } from './service.js';
export type * from './contract.js';
export { StaffErrors } from './errors.js';
export { totpCode } from './totp.js';
export { DEMO_STAFF_FACT, type DemoLogin, type DemoStaffFact } from './demo.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'staff:manage': true;
  }
}

export const staffModule = defineModule({
  name: 'staff',
  summary: 'Staff accounts and roles, password + TOTP login, sessions and lockouts',
  permissions: {
    'staff:manage': { description: 'Create, edit, disable and unlock staff accounts', roles: ['platform_admin', 'municipal_admin'] },
  },
  tables,
  config: (e) => ({
    /** Staff session lifetime (sliding). */
    sessionTtlMinutes: e.int('KAZASHI_SESSION_TTL_MINUTES', 30, { min: 1, max: 24 * 60 }),
    loginMaxAttempts: e.int('KAZASHI_LOGIN_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
    lockoutMinutes: e.int('KAZASHI_LOCKOUT_MINUTES', 15, { min: 1, max: 24 * 60 }),
    /** How long (ms) a process may reuse a staff session lookup; 0 looks it up on every request. */
    sessionCacheMs: e.int('KAZASHI_SESSION_CACHE_MS', 1000, { min: 0, max: 60_000 }),
  }),
  services: (kit) => {
    const staff = new StaffService(kit.db, kit.use(auditModule).audit, kit.secret, kit.config);
    return { staff, staffGuard: staffGuard((token) => staff.authenticate(token), { cookieSecure: kit.config.cookieSecure }) };
  },
  ports: (s) => ({ staffGuard: s.staffGuard }),
  schemas: contract,
  routes: (app, kit) => staffRoutes(app, { staff: kit.services.staff, guard: kit.services.staffGuard, cookieSecure: kit.config.cookieSecure, loginRateLimit: kit.config.loginRateLimitPerMinute }),
  seed: async ({ services: { staff }, demo }) => {
    const municipalities = demo.facts.get(DEMO_MUNICIPALITIES_FACT) as readonly DemoMunicipality[];
    const password = demoPassword();
    const logins: DemoLogin[] = [];
    const principals: Record<string, StaffPrincipal> = {};
    const accounts = municipalities.flatMap((m) => DEMO_STAFF.filter((s) => !s.only || s.only === m.code).map((s) => ({ m, s, loginName: `${m.prefix}.${s.suffix}` })));
    // Created side by side: each costs an argon2id hash, which runs on libuv's thread pool.
    const created = await Promise.all(accounts.map(({ m, s, loginName }) =>
      staff.create('system', m.code, { loginName, displayName: `${m.nameJa} ${s.displayJa}`, roles: s.roles, password })));
    accounts.forEach(({ m, s, loginName }, i) => {
      logins.push({ loginName, municipalityCode: m.code, roles: s.roles, totpSecret: created[i]!.totpSecret });
      const { id, displayName, municipalityCode, roles } = created[i]!.staff;
      principals[loginName] = { id, loginName, displayName, municipalityCode, roles };
    });
    demo.facts.set(DEMO_STAFF_FACT, { password, logins, staff: principals } satisfies DemoStaffFact);
    demo.banner.push(
      `Staff login: ${demo.baseUrl}/staff/login`,
      `One-time demo password (全アカウント共通・この画面にのみ表示): ${password}`,
      'Login ID            roles               TOTP secret (add to an authenticator app)',
      ...logins.map((l) => `${l.loginName.padEnd(20)}${l.roles.join(',').padEnd(20)}${l.totpSecret}`),
      'Current 6-digit code for a login: npm run kazashi -- staff totp <login>',
    );
  },
  navigation: [{ path: '/admin/staff', labelKey: 'admin.staff', permission: 'staff:manage', area: 'admin' }],
});
