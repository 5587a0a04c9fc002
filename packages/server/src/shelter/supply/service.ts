import { iso } from '../stay/repository.js';
import { actFor, type StaffPrincipal } from '../../kernel/callers.js';
import { catalogueItem, estimateItem, SUPPLY_CATALOGUE } from './catalogue.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import type { ShelterHqService } from '../hq/service.js';
import type { ShelterRegistryService } from '../registry/service.js';
import { supplyRepository, type SupplyRequestRow, type SupplyRequestWithShelter, type SupplyStatus } from './repository.js';
import type { SupplyEstimate, SupplyItem, SupplyRequestView } from '../contract.js';

export interface SupplyCaller {
  staff: StaffPrincipal;
  requestId: string;
}

export interface SupplyRequestInput {
  idempotencyKey: string;
  itemCode: string;
  needed: number;
  inStock: number;
  stockStatus: 'ok' | 'short';
  note?: string;
}

/** The order lifecycle: each status and where it may go next. Received is final; so is cancelled. */
const NEXT: Record<SupplyStatus, readonly SupplyStatus[]> = {
  requested: ['ordered', 'cancelled'],
  ordered: ['shipped', 'cancelled'],
  shipped: ['received', 'cancelled'],
  received: [],
  cancelled: [],
};

const actorOf = (c: SupplyCaller) => `staff:${c.staff.loginName}`;

function view(r: SupplyRequestWithShelter): SupplyRequestView {
  return {
    id: r.id, shelterId: r.shelterId, shelterNameJa: r.shelterNameJa, shelterNameEn: r.shelterNameEn, disasterId: r.disasterId,
    itemCode: r.itemCode, needed: r.needed, inStock: r.inStock, stockStatus: r.stockStatus, status: r.status, note: r.note,
    requestedBy: r.requestedBy, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt),
    orderedAt: r.orderedAt ? iso(r.orderedAt) : null, shippedAt: r.shippedAt ? iso(r.shippedAt) : null, receivedAt: r.receivedAt ? iso(r.receivedAt) : null,
  };
}

/** The same request again: every field the client sent must match, or the key was reused for something else. */
function sameContent(r: SupplyRequestRow, shelterId: string, input: SupplyRequestInput): boolean {
  return r.shelterId === shelterId && r.itemCode === input.itemCode && r.needed === input.needed && r.inStock === input.inStock
    && r.stockStatus === input.stockStatus && r.note === (input.note ?? '');
}

/** Supplies (物資): the catalogue, shelters' requests, HQ's orders and the demand estimate from occupancy. */
export class SupplyService {
  constructor(readonly deps: ShelterServiceDeps, readonly peers: { registry: ShelterRegistryService; hq: ShelterHqService }, private readonly repo: typeof supplyRepository = supplyRepository) {}

  catalogue(): readonly SupplyItem[] {
    return SUPPLY_CATALOGUE;
  }

  /** POST …/shelters/:shelterId/supply-requests (shelter:operate). Idempotent on idempotencyKey. */
  async request(c: SupplyCaller, code: string, shelterId: string, input: SupplyRequestInput): Promise<{ created: boolean; request: SupplyRequestView }> {
    const ctx = actFor(c.staff, code, 'shelter:operate');
    if (!catalogueItem(input.itemCode)) throw ShelterErrors['supply-item-unknown']({ item: input.itemCode });
    return this.deps.db.tenant(ctx, async (tx) => {
      const sh = await this.peers.registry.shelterIn(tx, shelterId);
      // Every shelter is readable (joint use): a partner's shelter is still not ours to request for.
      if (!sh || sh.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
      const inserted = await this.repo.insert(tx, {
        municipalityCode: code, shelterId, disasterId: sh.disasterId, itemCode: input.itemCode, needed: input.needed, inStock: input.inStock,
        stockStatus: input.stockStatus, note: input.note ?? '', idempotencyKey: input.idempotencyKey, requestedBy: actorOf(c),
      });
      const row = inserted ?? await this.repo.byKey(tx, code, input.idempotencyKey);
      if (!row) throw new Error('supply request vanished after an idempotency conflict');
      if (!inserted && !sameContent(row, shelterId, input)) throw ShelterErrors['idempotency-key-reused']();
      if (inserted) {
        await this.deps.audit.append(tx, code, {
          actor: actorOf(c), action: 'shelter.supply-request', purpose: `supply request ${row.id}: ${row.itemCode} × ${row.needed} for shelter ${shelterId}`,
          categories: [], fields: [], requestId: c.requestId,
        });
      }
      const [full] = await this.repo.list(tx, code, { ids: [row.id] });
      return { created: !!inserted, request: view(full!) };
    });
  }

  /** GET …/supply-requests (shelter:operate). */
  async list(staff: StaffPrincipal, code: string, filter: { status?: SupplyStatus; shelterId?: string }): Promise<SupplyRequestView[]> {
    const rows = await this.deps.db.tenant(actFor(staff, code, 'shelter:operate'), (tx) => this.repo.list(tx, code, filter));
    return rows.map(view);
  }

  /** PATCH …/supply-requests/:requestId (shelter:command): moves an order along; each step stamps its time. */
  async transition(c: SupplyCaller, code: string, requestId: string, to: SupplyStatus): Promise<SupplyRequestView> {
    const ctx = actFor(c.staff, code, 'shelter:command');
    return this.deps.db.tenant(ctx, async (tx) => {
      const row = await this.repo.forUpdate(tx, code, requestId);
      if (!row) throw ShelterErrors['supply-request-not-found']();
      if (!NEXT[row.status].includes(to)) {
        throw ShelterErrors['supply-transition-invalid']({ from: row.status, to }, { details: { from: row.status, to } });
      }
      const now = new Date();
      await this.repo.update(tx, row.id, {
        status: to, updatedAt: now,
        ...(to === 'ordered' ? { orderedAt: now } : to === 'shipped' ? { shippedAt: now } : to === 'received' ? { receivedAt: now } : {}),
      });
      await this.deps.audit.append(tx, code, {
        actor: actorOf(c), action: 'shelter.supply-order', purpose: `supply request ${row.id}: ${row.status} → ${to}`,
        categories: [], fields: [], requestId: c.requestId,
      });
      const [full] = await this.repo.list(tx, code, { ids: [row.id] });
      return view(full!);
    });
  }

  /**
   * GET …/supplies/estimate (shelter:operate): per open shelter and catalogue item, the demand of the
   * people present for `days`, beside what is already requested and not yet received.
   */
  async estimate(staff: StaffPrincipal, code: string, days: number): Promise<SupplyEstimate> {
    const ctx = actFor(staff, code, 'shelter:operate');
    const summaries = await this.peers.hq.summaries(code);
    const open = await this.deps.db.tenant(ctx, (tx) => this.repo.openQuantities(tx, code));
    const requested = new Map<string, number>();
    for (const o of open) requested.set(`${o.shelterId}|${o.itemCode}`, (requested.get(`${o.shelterId}|${o.itemCode}`) ?? 0) + o.needed);
    const rows: SupplyEstimate['rows'] = [];
    for (const s of summaries) {
      for (const item of SUPPLY_CATALOGUE) {
        const needCount = item.forNeed ? s.needs[item.forNeed] ?? 0 : 0;
        rows.push({
          shelterId: s.shelterId, itemCode: item.code, present: s.present,
          estimated: estimateItem(item, s.present, needCount, days), requested: requested.get(`${s.shelterId}|${item.code}`) ?? 0,
        });
      }
    }
    return { days, rows };
  }
}
