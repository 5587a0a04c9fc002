import { useId, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
}

export interface DataTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}

/**
 * A plain, accessible table. On narrow screens the table scrolls inside its own
 * focusable region so the page itself never scrolls sideways.
 */
export function DataTable<T>({ caption, columns, rows, rowKey }: DataTableProps<T>) {
  const id = useId();
  return (
    <div
      role="region"
      aria-labelledby={id}
      tabIndex={0}
      className="max-w-full overflow-x-auto rounded-8 border border-solid-gray-420"
    >
      <table className="w-full min-w-max border-collapse text-left text-dns-16N-130 [overflow-wrap:normal]">
        <caption id={id} className="sr-only">
          {caption}
        </caption>
        <thead className="bg-solid-gray-50">
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={`border-b-2 border-solid-gray-800 px-3 py-3 text-dns-16B-130 whitespace-nowrap ${c.className ?? ''}`}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} className="border-b border-solid-gray-200 last:border-b-0 even:bg-solid-gray-50/50">
              {columns.map((c) => (
                <td key={c.key} className={`px-3 py-3 align-top ${c.className ?? ''}`}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
