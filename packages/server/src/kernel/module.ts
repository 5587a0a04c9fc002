import type { preHandlerAsyncHookHandler } from 'fastify';
import { declarePermissions, type Permission, type PermissionSpec } from './callers.js';
import type { KernelConfig } from './config.js';
import type { App } from './http/contract.js';
import { declareDataCategories } from './dataCategories.js';
import { declareNavigation } from './navigation.js';
import type { Database } from './db/engine.js';
import type { EnvReader } from './env.js';
import type { JobQueue } from './jobs/queue.js';

/**
 * The contract every server domain fulfils: one module object, exported from the domain's
 * `index.ts`, and one line in `src/modules.ts`. The wiring (platform/) loops over that list: it
 * reads each module's config slice, builds its services in list order, registers its routes as an
 * encapsulated Fastify plugin, seeds its demo data and collects its declarations. Nothing in the
 * wiring names a domain.
 *
 * @example
 * export const supplyModule = defineModule({
 *   name: 'supply', summary: 'Shelter supplies',
 *   permissions: { 'supply:order': { description: 'Order supplies', roles: ['disaster_hq'] } },
 *   services: (kit) => ({ supplies: new SupplyService(kit.db, kit.use(auditModule).audit) }),
 *   routes: (app, kit) => supplyRoutes(app, kit.services),
 * });
 */
export interface KazashiModule<S extends object = object, C extends object = object> {
  /** Unique among modules; names the module in errors and logs. */
  readonly name: string;
  /** One line: what the domain is for (README, `kazashi modules`). */
  readonly summary: string;
  /** Permissions this module defines, and the roles that have them. */
  readonly permissions?: Record<string, PermissionSpec>;
  /** Personal-data categories this module owns in the vault (names and fields only; values never leave the vault). */
  readonly dataCategories?: Record<string, { fields: readonly string[]; description: string }>;
  /** Its tables (drizzle); migrations are in packages/server/drizzle, one ordered journal for all. */
  readonly tables?: Record<string, unknown>;
  /**
   * The joint-use service (共同利用) a municipality must have joined for these routes: every route with
   * a municipality (`:code`, or the resident's or staff member's own) answers 403 service-not-joined
   * otherwise, before its handler runs.
   */
  readonly jointUseService?: string;
  /**
   * Checks of its settings that must pass before anything is opened (a production server without
   * J-LIS trust anchors does not start); throws with what to set.
   */
  readonly preflight?: (config: KernelConfig & C) => void;
  /** Its settings, read strictly from the environment (a bad value stops start-up naming the variable). */
  readonly config?: (env: EnvReader, kernel: KernelConfig) => C;
  /** Its services, built once; `kit.use(other)` reaches a module listed before this one. */
  readonly services: (kit: ModuleKit<C>) => S | Promise<S>;
  /**
   * Its API shapes (a TypeBox contract module, `import * as contract`): each schema exported there is
   * named by its export name and becomes `components.schemas.<Name>` of the OpenAPI document, from
   * which the web client's types are generated. Names are unique across modules.
   */
  readonly schemas?: Record<string, unknown>;
  /** Its HTTP routes, registered inside an encapsulated plugin of their own (hooks, parsers stay inside). */
  readonly routes?: (app: App, kit: RouteKit<S, C>) => void | Promise<void>;
  /** What the kernel needs from this module, if anything (see KernelPorts). */
  readonly ports?: (services: S) => Partial<KernelPorts>;
  /** Whether the module holds data already (a first start seeds the demo only into an empty platform). */
  readonly hasData?: (services: S) => Promise<boolean>;
  /** Work to start once every module is built (listeners, background tasks), and to stop at shutdown. */
  readonly start?: (services: S) => void | Promise<void>;
  readonly close?: (services: S) => void | Promise<void>;
  /** Its part of the demo, seeded on a first start outside production (and in tests). */
  readonly seed?: (kit: SeedKit<S, C>) => Promise<void>;
  /** Entries for the web app's navigation, shown to staff who have the permission. */
  readonly navigation?: readonly NavigationEntry[];
}

export interface NavigationEntry {
  /** Path in the web app. */
  path: string;
  /** i18n key of the label (the web app's own namespace of the feature). */
  labelKey: string;
  /** Shown only to staff with this permission. */
  permission: Permission;
  /** Where it goes: the admin area or the operational menu. */
  area: 'admin' | 'operations';
}

/** What the kernel and other modules ask of a module without naming it; each port is provided by one module. */
export interface KernelPorts {
  /** Refuses a joint-use service a municipality has not joined (403 service-not-joined). */
  serviceGate: { requireService(code: string, service: string): Promise<void> };
  /** preHandler for staff routes: a live staff session (req.staff) and, for unsafe methods, its CSRF token. */
  staffGuard: preHandlerAsyncHookHandler;
  /** preHandler for a resident's own routes: a live resident session (req.resident) and its CSRF token. */
  residentGuard: preHandlerAsyncHookHandler;
}

/** Any module, whatever its services and config (for lists of modules and `use`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = KazashiModule<any, any>;

// The services and config slice of a module, from its type.
export type ServicesOf<M> = M extends KazashiModule<infer S, infer _C> ? S : never;
export type ConfigOf<M> = M extends KazashiModule<infer _S, infer C> ? C : never;

export interface ModuleKit<C extends object = object> {
  /** The kernel's settings and this module's own slice. */
  readonly config: KernelConfig & C;
  readonly db: Database;
  /** 32 random bytes from KAZASHI_SECRET_KEY_FILE: a module derives its own keys from it. */
  readonly secret: Buffer;
  /** The durable job queue and outbox on the platform database. */
  readonly jobs: JobQueue;
  /** The services of another module (listed before this one in src/modules.ts). */
  use<M extends AnyModule>(module: M): ServicesOf<M>;
  /** Kernel ports (available once every module is built: use them in handlers, not while building). */
  readonly ports: KernelPorts;
  /** Test and tool settings for this module, by module name (createPlatform's overrides). */
  readonly overrides: Readonly<Record<string, unknown>>;
}

export interface RouteKit<S extends object, C extends object> extends ModuleKit<C> {
  readonly services: S;
}

export interface SeedKit<S extends object, C extends object> extends RouteKit<S, C> {
  /** What the demo seed has made so far, shared by every module's seed (see demo/seed.ts). */
  readonly demo: DemoState;
}

/** The demo as it is seeded, module after module. */
export interface DemoState {
  /** Whether to also seed a scenario under way (a disaster), not only the standing data. */
  readonly scenario: boolean;
  /** The server's public origin, for links in the banner. */
  readonly baseUrl: string;
  /** Everything modules put here for the ones after them (tests read it too). */
  readonly facts: Map<string, unknown>;
  /** Lines for the start-up banner (logins, what was seeded), in module order. */
  readonly banner: string[];
}

const names = new Set<string>();

/**
 * Defines a module: its declarations (permissions, data categories) are registered at once, so a
 * second module declaring the same id fails at start-up naming both.
 */
export function defineModule<S extends object, C extends object = object>(m: KazashiModule<S, C>): KazashiModule<S, C> {
  if (names.has(m.name)) throw new Error(`two modules are named ${m.name}`);
  names.add(m.name);
  if (m.permissions) declarePermissions(m.name, m.permissions);
  if (m.dataCategories) declareDataCategories(m.name, m.dataCategories);
  if (m.navigation) declareNavigation(m.name, m.navigation);
  return m;
}
