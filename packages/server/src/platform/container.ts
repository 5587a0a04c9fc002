import path from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../kernel/db/engine.js';
import { JobQueue } from '../kernel/jobs/queue.js';
import type { AnyModule, KernelPorts, ModuleKit, ServicesOf } from '../kernel/module.js';
import { loadServerSecret } from '../kernel/secrets.js';
import { throttledWarning } from '../kernel/warnings.js';
import { modules } from '../modules.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every module's services, merged (e.g. `platform.audit`, `platform.shelters.stays`). */
export type ModuleServices = UnionToIntersection<ServicesOf<(typeof modules)[number]>>;

/** The built platform: the kernel's parts and every module's services. Domains reach each other only through these. */
export type Platform = ModuleServices & {
  config: Config;
  db: Database;
  /** The kernel's durable job queue and outbox. */
  jobs: JobQueue;
  /** What each module was built into, for the wiring (routes, seeds). */
  readonly built: BuiltModules;
  close(): Promise<void>;
};

export interface PlatformOverrides {
  db?: Database;
  /** Per-module test settings, by module name (e.g. `{ vault: { inMemory: true } }`). */
  modules?: Record<string, unknown>;
  /** Keep embedded vaults in memory (tests): shorthand for `modules.vault.inMemory`. */
  inMemoryVaults?: boolean;
}

/** The modules' services and what the kernel needs to build routes and seeds with them. */
export class BuiltModules {
  readonly services = new Map<AnyModule, object>();
  private readonly portsOf = new Map<keyof KernelPorts, { module: string; value: unknown }>();

  constructor(readonly config: Config, readonly db: Database, readonly secret: Buffer, readonly jobs: JobQueue, readonly overrides: Record<string, unknown>) {}

  /** The kernel ports, each from the one module that provides it. */
  readonly ports: KernelPorts = new Proxy({} as KernelPorts, {
    get: (_t, name: string) => {
      const p = this.portsOf.get(name as keyof KernelPorts);
      if (!p) throw new Error(`no module provides the kernel port ${name}`);
      return p.value;
    },
  });

  addPorts(module: string, ports: Partial<KernelPorts>): void {
    for (const [name, value] of Object.entries(ports)) {
      const prior = this.portsOf.get(name as keyof KernelPorts);
      if (prior) throw new Error(`kernel port ${name} is provided by both ${prior.module} and ${module}`);
      this.portsOf.set(name as keyof KernelPorts, { module, value });
    }
  }

  /** The kit a module is built, routed and seeded with. */
  kit(forModule: AnyModule): ModuleKit {
    return {
      config: this.config, db: this.db, secret: this.secret, jobs: this.jobs, ports: this.ports, overrides: this.overrides,
      use: (m) => {
        const s = this.services.get(m);
        if (!s) throw new Error(`module ${forModule.name} uses ${m.name}, which is not built yet: list ${m.name} before ${forModule.name} in src/modules.ts`);
        return s as never;
      },
    };
  }
}

/** Opens the database, migrates, and builds every module in `src/modules.ts`, in order. */
export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  for (const m of modules as readonly AnyModule[]) m.preflight?.(config);
  const db = overrides.db ?? (await openDatabase({
    databaseUrl: config.databaseUrl,
    databaseAppUrl: config.databaseAppUrl,
    pgliteDir: path.join(config.dataDir, 'platform'),
  }));
  const jobs = new JobQueue(db, { onError: throttledWarning('a background job failed (it is retried)') });
  const started: AnyModule[] = [];
  let builtServices: (m: AnyModule) => object = () => ({});
  try {
    await db.migrate();
    const secret = loadServerSecret(config.secretKeyFile, config.production);
    const moduleOverrides = { ...(overrides.modules ?? {}) };
    if (overrides.inMemoryVaults) moduleOverrides.vault = { ...(moduleOverrides.vault as object | undefined), inMemory: true };
    const built = new BuiltModules(config, db, secret, jobs, moduleOverrides);
    builtServices = (m) => built.services.get(m)!;
    const merged: Record<string, unknown> = {};
    for (const m of modules as readonly AnyModule[]) {
      const services = (await m.services(built.kit(m))) as Record<string, unknown>;
      for (const key of Object.keys(services)) {
        if (key in merged) throw new Error(`module ${m.name} builds a service named ${key}, which another module has already`);
      }
      built.services.set(m, services);
      Object.assign(merged, services);
      if (m.ports) built.addPorts(m.name, m.ports(services));
    }
    for (const m of modules as readonly AnyModule[]) {
      await m.start?.(built.services.get(m)!);
      started.push(m);
    }
    await jobs.start();
    return Object.assign(merged, {
      config, db, jobs, built,
      async close() {
        await jobs.close();
        for (const m of [...started].reverse()) await m.close?.(built.services.get(m)!);
        await db.close();
      },
    }) as unknown as Platform;
  } catch (e) {
    // A platform that does not start leaves nothing open behind it (a production server without J-LIS trust anchors).
    await jobs.close().catch(() => {});
    for (const m of [...started].reverse()) await Promise.resolve(m.close?.(builtServices(m))).catch(() => {});
    await db.close().catch(() => {});
    throw e;
  }
}
