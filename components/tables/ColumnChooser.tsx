'use client';

import type { Column, TableFeatures, RowData } from '@tanstack/react-table';

interface ChooserTable<TFeatures extends TableFeatures, TData extends RowData> {
  getAllLeafColumns: () => Array<Column<TFeatures, TData, unknown>>;
}

/** Show or hide table columns; the table remembers the choice per browser. */
export function ColumnChooser<TFeatures extends TableFeatures, TData extends RowData>({
  table,
}: {
  table: ChooserTable<TFeatures, TData>;
}) {
  const columns = table.getAllLeafColumns().filter((column) => column.id !== 'select');
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
        Columns
      </summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-52 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <legend className="sr-only">Visible columns</legend>
        {columns.map((column) => {
          const header = column.columnDef.header;
          const label = typeof header === 'string' ? header : column.id;
          const col = column as unknown as { getIsVisible: () => boolean; toggleVisibility: (v?: boolean) => void };
          return (
            <label
              key={column.id}
              className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              <input type="checkbox" checked={col.getIsVisible()} onChange={() => col.toggleVisibility()} />
              {label}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
