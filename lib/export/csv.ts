// RFC 4180 CSV, safe to open in a spreadsheet (docs/architecture.md §9.3, OWASP "CSV Injection"): a value starting with
// = + - @, tab or CR gets a leading apostrophe; fields with a comma, quote or line break are quoted.
export type CsvValue = string | number | boolean | null | undefined | Date | readonly string[];

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else if (Array.isArray(value)) text = value.join(';');
  else text = String(value);
  text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV document: header row then one row per record, columns in the given order. */
export function toCsv<T extends Record<string, unknown>>(
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
): string {
  return csvRow(columns) + rows.map((row) => csvRow(columns.map((c) => row[c] as CsvValue))).join('');
}
