import { readKernelConfig, type KernelConfig } from './kernel/config.js';
import { EnvReader } from './kernel/env.js';
import type { ConfigOf } from './kernel/module.js';
import { modules } from './modules.js';

export { parseTrustedProxies } from './kernel/config.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every setting: the kernel's and each module's slice (the README's Configuration table lists them all). */
export type Config = KernelConfig & UnionToIntersection<ConfigOf<(typeof modules)[number]>>;

/**
 * Reads the whole configuration; a malformed or out-of-range value stops start-up with a
 * ConfigError naming every such variable, as does a setting two modules both declare.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = new EnvReader(env);
  const kernel = readKernelConfig(e, env);
  const merged: Record<string, unknown> = { ...kernel };
  const owner = new Map<string, string>(Object.keys(kernel).map((k) => [k, 'the kernel']));
  for (const m of modules) {
    if (!m.config) continue;
    for (const [key, value] of Object.entries(m.config(e, kernel))) {
      if (owner.has(key)) e.problem(`setting ${key} is declared by both ${owner.get(key)} and ${m.name}`);
      owner.set(key, m.name);
      merged[key] = value;
    }
  }
  e.done();
  return merged as Config;
}
