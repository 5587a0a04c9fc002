import type { Database, Tx } from '../kernel/db/engine.js';
import { HttpErrors } from '../kernel/errors.js';
import { actFor, isPlatformAdmin, ownContext, type StaffPrincipal } from '../kernel/callers.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { MunicipalityErrors } from './errors.js';
import { municipalityRepository, type MunicipalityRow } from './repository.js';
import { SERVICE_IDS, type ServiceId } from './services.js';
import type { JointUseGroup, JointUseGroupRef, JointUseMember, MunicipalityInput, MunicipalityPatch, MunicipalityView, PublicMunicipality, TouchOnlyFlows } from './contract.js';

// API shapes: ./contract.ts (the names other domains knew are kept as aliases).
export type { MunicipalityInput, MunicipalityView };
export type MemberView = JointUseMember;
export type GroupView = JointUseGroup;

const view = (m: MunicipalityRow): MunicipalityView => ({
  code: m.code, nameJa: m.nameJa, nameEn: m.nameEn, prefectureJa: m.prefectureJa, prefectureEn: m.prefectureEn, vaultLocation: m.vaultLocation,
});

const PUBLIC = { municipalityCode: null } as const;

/** A kiosk flow id, e.g. `shelter-reentry`. */
export const TOUCH_ONLY_FLOW = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const MAX_TOUCH_ONLY_FLOWS = 20;


/** How long this process may reuse a municipality's joined services (the gate runs on every domain request). */
const JOINED_CACHE_MS = 5_000;

export class MunicipalityService {
  /** Joined services by municipality, briefly; a change through this process clears it at once. */
  private readonly joined = new Map<string, { exists: boolean; services: ReadonlySet<string>; until: number }>();

  constructor(private readonly db: Database, private readonly repo: typeof municipalityRepository = municipalityRepository) {}

  /** Public: every municipality with the services it has joined and its groups. */
  async publicDirectory(): Promise<PublicMunicipality[]> {
    return this.db.tenant(PUBLIC, async (tx) => {
      const { municipalities, groups, memberships } = await directory(tx, this.repo);
      return municipalities.map((m) => {
        const mine = memberships.filter((ms) => ms.municipalityCode === m.code);
        return {
          ...view(m),
          services: [...new Set(mine.flatMap((ms) => ms.services))].sort(),
          groups: groups.filter((g) => mine.some((ms) => ms.groupId === g.id)).map((g): JointUseGroupRef => ({ id: g.id, nameJa: g.nameJa, nameEn: g.nameEn })),
        };
      });
    });
  }

  async list(p: StaffPrincipal): Promise<MunicipalityView[]> {
    const rows = await this.db.tenant(ownContext(p), (tx) => this.repo.list(tx));
    return rows.filter((m) => isPlatformAdmin(p) || m.code === p.municipalityCode).map(view);
  }

  /**
   * Internal (no staff): used by other domains, the CLI and the seed. A caller already inside a
   * transaction passes it: the embedded database has one connection, so a second transaction would wait forever.
   */
  async get(code: string, tx?: Tx): Promise<MunicipalityRow> {
    assertMunicipalityCode(code);
    const row = tx ? await this.repo.get(tx, code) : await this.db.tenant(PUBLIC, (t) => this.repo.get(t, code));
    if (!row) throw MunicipalityErrors['municipality-not-found']({ code });
    return row;
  }

  async create(p: StaffPrincipal | 'system', input: MunicipalityInput): Promise<MunicipalityView> {
    assertMunicipalityCode(input.code);
    const ctx = p === 'system' ? { municipalityCode: input.code, platformAdmin: true } : actFor(p, input.code, 'municipality:create');
    return this.db.tenant(ctx, async (tx) => {
      if (await this.repo.get(tx, input.code)) throw MunicipalityErrors['municipality-exists']({ code: input.code });
      return view(await this.repo.insert(tx, input));
    });
  }

  async update(p: StaffPrincipal, code: string, patch: MunicipalityPatch): Promise<MunicipalityView> {
    assertMunicipalityCode(code);
    const ctx = actFor(p, code, 'municipality:edit');
    return this.db.tenant(ctx, async (tx) => {
      const row = await this.repo.update(tx, code, patch);
      if (!row) throw MunicipalityErrors['municipality-not-found']({ code });
      return view(row);
    });
  }

  /** Vault placement is changed only by the vault domain's migration, after verification. */
  async setVaultLocation(code: string, location: { vaultLocation: string; vaultUrl: string | null; vaultPublicKey: string | null; vaultMigrating: boolean }) {
    await this.db.tenant({ municipalityCode: code }, (tx) => this.repo.update(tx, code, location));
  }

  async setVaultMigrating(code: string, migrating: boolean) {
    await this.db.tenant({ municipalityCode: code }, (tx) => this.repo.update(tx, code, { vaultMigrating: migrating }));
  }

  async groups(): Promise<GroupView[]> {
    return this.db.tenant(PUBLIC, async (tx) => {
      const { municipalities, groups, memberships } = await directory(tx, this.repo);
      const byCode = new Map(municipalities.map((m) => [m.code, m]));
      return groups.map((g) => ({
        id: g.id,
        nameJa: g.nameJa,
        nameEn: g.nameEn,
        members: memberships.filter((ms) => ms.groupId === g.id).map((ms) => ({
          municipalityCode: ms.municipalityCode,
          nameJa: byCode.get(ms.municipalityCode)?.nameJa ?? ms.municipalityCode,
          nameEn: byCode.get(ms.municipalityCode)?.nameEn ?? ms.municipalityCode,
          services: ms.services,
        })),
      }));
    });
  }

  async createGroup(p: StaffPrincipal | 'system', input: { nameJa: string; nameEn: string }): Promise<GroupView> {
    if (p !== 'system' && !isPlatformAdmin(p)) throw HttpErrors.forbidden();
    const ctx = p === 'system' ? { municipalityCode: null, platformAdmin: true } : ownContext(p);
    const g = await this.db.tenant(ctx, (tx) => this.repo.insertGroup(tx, input));
    return { id: g.id, nameJa: g.nameJa, nameEn: g.nameEn, members: [] };
  }

  async addMember(p: StaffPrincipal | 'system', groupId: string, code: string, services: ServiceId[]): Promise<MemberView> {
    assertMunicipalityCode(code);
    const ctx = p === 'system' ? { municipalityCode: code, platformAdmin: true } : actFor(p, code, 'jointuse:create');
    // The gate's cache is dropped once the change has committed.
    return this.db.tenant(ctx, async (tx) => {
      if (!(await this.repo.group(tx, groupId))) throw MunicipalityErrors['joint-use-group-not-found']();
      const m = await this.repo.get(tx, code);
      if (!m) throw MunicipalityErrors['municipality-not-found']({ code });
      if (await this.repo.membership(tx, groupId, code)) throw MunicipalityErrors['already-a-member']({ code });
      const ms = await this.repo.insertMembership(tx, { groupId, municipalityCode: code, services: normalise(services) });
      return { municipalityCode: code, nameJa: m.nameJa, nameEn: m.nameEn, services: ms.services };
    }).finally(() => this.joined.clear());
  }

  async setServices(p: StaffPrincipal, groupId: string, code: string, services: ServiceId[]): Promise<MemberView> {
    assertMunicipalityCode(code);
    const ctx = actFor(p, code, 'jointuse:manage');
    // The gate's cache is dropped once the change has committed.
    return this.db.tenant(ctx, async (tx) => {
      if (!(await this.repo.group(tx, groupId))) throw MunicipalityErrors['joint-use-group-not-found']();
      const ms = await this.repo.setServices(tx, groupId, code, normalise(services));
      if (!ms) throw MunicipalityErrors['not-a-member']({ code });
      const m = (await this.repo.get(tx, code))!;
      return { municipalityCode: code, nameJa: m.nameJa, nameEn: m.nameEn, services: ms.services };
    }).finally(() => this.joined.clear());
  }

  /** Kiosk flows where a touch without PIN may start a (card-touch) resident session. Staff of the municipality or a platform admin. */
  async touchOnlyFlows(p: StaffPrincipal, code: string): Promise<TouchOnlyFlows> {
    assertMunicipalityCode(code);
    if (!isPlatformAdmin(p) && p.municipalityCode !== code) throw HttpErrors.forbidden();
    return { flows: (await this.get(code)).touchOnlyFlows };
  }

  /** Replaces the touch-only kiosk flows (municipality:edit: the municipal admin). Flow ids only; at most 20. */
  async setTouchOnlyFlows(p: StaffPrincipal, code: string, flows: string[]): Promise<TouchOnlyFlows> {
    assertMunicipalityCode(code);
    const clean = [...new Set(flows)].sort();
    const bad = clean.find((f) => !TOUCH_ONLY_FLOW.test(f));
    if (bad !== undefined || clean.length > MAX_TOUCH_ONLY_FLOWS) throw HttpErrors['validation-failed']();
    return this.db.tenant(actFor(p, code, 'municipality:edit'), async (tx) => {
      const row = await this.repo.update(tx, code, { touchOnlyFlows: clean });
      if (!row) throw MunicipalityErrors['municipality-not-found']({ code });
      return { flows: row.touchOnlyFlows };
    });
  }

  /** Internal: whether `flow` is one of the municipality's touch-only kiosk flows. */
  async isTouchOnlyFlow(code: string, flow: string, tx?: Tx): Promise<boolean> {
    return (await this.get(code, tx)).touchOnlyFlows.includes(flow);
  }

  /** Internal: the services the municipality has joined under any joint-use agreement. */
  async joinedServices(code: string, tx?: Tx): Promise<string[]> {
    assertMunicipalityCode(code);
    const rows = tx ? await this.repo.membershipsOf(tx, code) : await this.db.tenant(PUBLIC, (t) => this.repo.membershipsOf(t, code));
    return [...new Set(rows.flatMap((m) => m.services))].sort();
  }

  /** Internal: the municipalities that share a joint-use group with `code` (itself excluded). */
  async jointUsePartners(code: string, tx?: Tx): Promise<string[]> {
    assertMunicipalityCode(code);
    const all = tx ? await this.repo.memberships(tx) : await this.db.tenant(PUBLIC, (t) => this.repo.memberships(t));
    const groups = new Set(all.filter((m) => m.municipalityCode === code).map((m) => m.groupId));
    return [...new Set(all.filter((m) => groups.has(m.groupId) && m.municipalityCode !== code).map((m) => m.municipalityCode))].sort();
  }

  /**
   * The gate of every service domain (the kernel's serviceGate port, run before each route of a
   * module that declares its joint-use service): refuses a service to a municipality that has not
   * joined it. Other processes see a change within JOINED_CACHE_MS.
   */
  async requireService(code: string, service: string): Promise<void> {
    assertMunicipalityCode(code);
    let hit = this.joined.get(code);
    if (!hit || hit.until < Date.now()) {
      const found = await this.db.tenant(PUBLIC, async (tx) => ({ exists: !!(await this.repo.get(tx, code)), memberships: await this.repo.membershipsOf(tx, code) }));
      hit = { exists: found.exists, services: new Set(found.memberships.flatMap((m) => m.services)), until: Date.now() + JOINED_CACHE_MS };
      this.joined.set(code, hit);
    }
    if (!hit.exists) throw MunicipalityErrors['municipality-not-found']({ code });
    if (!hit.services.has(service)) throw MunicipalityErrors['service-not-joined']({ code, service });
  }
}

/** Municipalities, groups and memberships, read one after another (one connection runs one query at a time). */
async function directory(tx: Tx, repo: typeof municipalityRepository) {
  const municipalities = await repo.list(tx);
  const groups = await repo.groups(tx);
  const memberships = await repo.memberships(tx);
  return { municipalities, groups, memberships };
}

function normalise(services: string[]): string[] {
  return [...new Set(services)].filter((s) => (SERVICE_IDS as string[]).includes(s)).sort();
}
