import { getTableColumns, type Table } from 'drizzle-orm';

/**
 * A raw row (snake_case, as the driver gives it: a preparedQuery's result) as drizzle's typed row of
 * the table, each column mapped as drizzle would (timestamps to Dates, and so on).
 */
export function fromDriverRow<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const v = raw[column.name];
    out[key] = v == null ? null : column.mapFromDriverValue(v);
  }
  return out as T['$inferSelect'];
}
