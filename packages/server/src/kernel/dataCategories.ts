import { DuplicateDeclarationError } from './callers.js';

/**
 * Personal-data categories, declared by the modules that own them (`defineModule`). Values live only
 * in the municipality's vault; the platform database knows category names at most. Each module adds
 * its ids by declaration merging, so a category name is checked by the compiler:
 *
 * ```ts
 * declare module '../kernel/dataCategories.js' { interface DataCategoryIds { evacuee: true } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DataCategoryIds {}
export type DataCategory = Extract<keyof DataCategoryIds, string>;

const declared = new Map<string, { module: string; fields: readonly string[]; description: string }>();

export function declareDataCategories(module: string, categories: Record<string, { fields: readonly string[]; description: string }>): void {
  for (const [id, c] of Object.entries(categories)) {
    const prior = declared.get(id);
    if (prior && prior.module !== module) throw new DuplicateDeclarationError(`data category ${id} is declared by both ${prior.module} and ${module}`);
    declared.set(id, { module, ...c });
  }
}

/** The fields of a category, or undefined for an undeclared one. */
export function categoryFields(category: string): readonly string[] | undefined {
  return declared.get(category)?.fields;
}

/** Every declared category id (stable order: as declared). */
export function categoryIds(): DataCategory[] {
  return [...declared.keys()] as DataCategory[];
}

/** Every category with its fields and owner (docs, the vault's own checks). */
export function declaredDataCategories(): { id: string; module: string; fields: readonly string[]; description: string }[] {
  return [...declared].map(([id, c]) => ({ id, ...c }));
}
