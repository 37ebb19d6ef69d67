/** A one-line progress bar redrawn in place on a terminal (stderr), at most ten times a second. */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(
    private out: NodeJS.WriteStream,
    private label: string,
    private total: number,
  ) {}

  update(done: number, rows: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.out.write(
      `\r${progressLine(this.label, done, this.total, rows, (now - this.started) / 1000, this.out.columns ?? 80)}\x1b[K`,
    );
    this.drawn = true;
  }

  clear(): void {
    if (!this.drawn) return;
    this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** `file [██████░░░░]  45%  12.3/27.0 MB  123,456 rows  61,000 rows/s`, cut to the terminal width. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  rows: number,
  seconds: number,
  columns: number,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const width = 20;
  const filled = Math.round(fraction * width);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
  const line =
    `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  ` +
    `${mb(done)}/${mb(total)} MB  ${rows.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}
