// Times in machine output: ISO 8601 UTC, six fractional digits and Z (docs/architecture.md §3). JavaScript dates hold
// milliseconds only, so queries return the text from Postgres instead: to_char(ts AT TIME ZONE 'UTC', …).
export const ISO_MICROS_SQL = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
