// The audit domain: the append-only, hash-chained trail of every personal-data access and audited
// action, per municipality, sealed off the request path. Other domains use only what is exported here.
import { defineModule } from '../kernel/module.js';
import { throttledWarning } from '../kernel/warnings.js';
import * as contract from './contract.js';
import { auditRoutes } from './routes.js';
import * as tables from './schema.js';
import { AuditService } from './service.js';

export { AuditService, type AuditEntryView, type AuditRecord, type AuditVerdict } from './service.js';
export type { AuditFilter } from './repository.js';
export type { AuditBreakReason, AuditEntry, AuditSearchResult, AuditVerifyResult } from './contract.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'audit:read': true;
  }
}

export const auditModule = defineModule({
  name: 'audit',
  summary: 'The hash-chained audit trail of every personal-data access, per municipality',
  permissions: {
    'audit:read': { description: "Search and verify the municipality's audit trail", roles: ['platform_admin', 'municipal_admin'] },
  },
  tables,
  services: (kit) => ({ audit: new AuditService(kit.db, { onSealError: throttledWarning('audit sealing failed (entries stay pending and are sealed later)') }) }),
  start: ({ audit }) => audit.sealer.start(),
  close: ({ audit }) => audit.sealer.close(),
  schemas: contract,
  routes: (app, kit) => auditRoutes(app, { audit: kit.services.audit, guard: kit.ports.staffGuard }),
  navigation: [{ path: '/admin/audit', labelKey: 'admin.audit', permission: 'audit:read', area: 'admin' }],
});
