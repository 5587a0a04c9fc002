// The OpenAPI document names the shapes modules export from their contracts (KazashiModule.schemas):
// a route schema carries them inline (Fastify validates and serializes with the very same object),
// and the document lifts each named one into components.schemas, so that generated clients get
// `ShelterView`, not an anonymous type per route.

import { DuplicateDeclarationError } from '../callers.js';

type Named = Record<string, unknown>;

const isSchema = (v: unknown): v is Named =>
  !!v && typeof v === 'object' && !Array.isArray(v) && ('type' in v || 'anyOf' in v || 'enum' in v || 'allOf' in v || 'oneOf' in v);

/** Names a module's contract schemas (their `title`), refusing a name another module has. */
export function nameContractSchemas(module: string, contract: Record<string, unknown>, owners: Map<string, string>): void {
  for (const [name, schema] of Object.entries(contract)) {
    if (!/^[A-Z]/.test(name) || !isSchema(schema)) continue;
    const prior = owners.get(name);
    if (prior && prior !== module) throw new DuplicateDeclarationError(`API schema ${name} is declared by both ${prior} and ${module}`);
    owners.set(name, module);
    schema.title = name;
  }
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x);

interface Doc { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } }

/**
 * Replaces every titled schema in the document's paths (and in its components) by a $ref to
 * components.schemas[title]. Two different shapes under one title stay inline (and are listed).
 */
export function hoistNamedSchemas<T extends Doc>(doc: T, conflicts: string[] = []): T {
  const components: Record<string, unknown> = { ...(doc.components?.schemas ?? {}) };
  const originals = new Map<string, string>();
  const visit = (node: unknown, top = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n));
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) copy[k] = k === 'examples' || k === 'example' ? v : visit(v);
    const title = o.title;
    if (top || typeof title !== 'string' || !isSchema(o) || !/^[A-Z]\w*$/.test(title)) return copy;
    const text = canonical(copy);
    const seen = originals.get(title);
    if (seen === undefined) {
      originals.set(title, text);
      components[title] = copy;
    } else if (seen !== text) {
      if (!conflicts.includes(title)) conflicts.push(title);
      return copy;
    }
    return { $ref: `#/components/schemas/${title}` };
  };
  const paths = visit(doc.paths ?? {}) as Record<string, unknown>;
  for (const [name, schema] of Object.entries(components)) components[name] = visit(schema, true);
  return { ...doc, paths, components: { ...(doc.components ?? {}), schemas: components } };
}
