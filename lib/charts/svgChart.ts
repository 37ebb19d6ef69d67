// Charts as SVG text, drawn by hand: the same markup is shown on the Trends and report pages, exported as PNG from a
// chart card, and rendered to PNG server-side (resvg) for the e-mail and the PDF — mail clients drop SVG and scripts
// (issue 17). Pure functions, no DOM: safe on the server, in the CLI and in client components.
import { csvRow } from '@/lib/export/csv';

export interface ChartSeries {
  name: string;
  values: Array<number | null>;
  colour: string;
  kind: 'bar' | 'line';
}

export interface SeriesChartSpec {
  title: string;
  labels: string[]; // one per bucket (hover titles)
  axisLabels?: string[]; // shorter labels for the x axis
  series: ChartSeries[];
  stacked?: boolean; // bars stacked (lines never are)
  unit?: string; // suffix on the y axis ("%", "h")
  note: string; // the zone and bucketing, printed under the chart ("Weeks from Monday 00:00, Europe/Berlin")
  width?: number;
  height?: number;
}

export const CHART_FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** A round maximum for the y axis and its ticks (1, 2, 2.5, 5 × 10^n steps). */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.25 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return { max: step * Math.ceil(max / step), step };
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(Math.round(v * 10) / 10));

/** Bars (optionally stacked) and lines over buckets, with axes, a legend, hover titles and the zone note. */
export function seriesChartSvg(spec: SeriesChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 260;
  const left = 48;
  const right = 12;
  const top = 28;
  const bottom = 56;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = spec.labels.length;
  const bars = spec.series.filter((s) => s.kind === 'bar');
  const lines = spec.series.filter((s) => s.kind === 'line');
  const stackTotals = spec.labels.map((_, i) => bars.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const barMax = spec.stacked
    ? Math.max(0, ...stackTotals)
    : Math.max(0, ...bars.flatMap((s) => s.values.map((v) => v ?? 0)));
  const lineMax = Math.max(0, ...lines.flatMap((s) => s.values.map((v) => v ?? 0)));
  const scale = niceScale(Math.max(barMax, lineMax));
  const y = (v: number) => top + plotH - (v / scale.max) * plotH;
  const slot = n ? plotW / n : plotW;
  const x = (i: number) => left + i * slot;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="${CHART_FONT}" font-size="11">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  // Legend on top.
  let lx = left;
  for (const s of spec.series) {
    out.push(
      s.kind === 'bar'
        ? `<rect x="${lx}" y="8" width="10" height="10" fill="${s.colour}"/>`
        : `<line x1="${lx}" y1="13" x2="${lx + 12}" y2="13" stroke="${s.colour}" stroke-width="2.5"/>`,
    );
    out.push(`<text x="${lx + 15}" y="17" fill="#334155">${escapeXml(s.name)}</text>`);
    lx += 24 + s.name.length * 6.5;
  }
  // Grid and y axis.
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    out.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#cbd5e1" stroke-dasharray="3 3"/>`,
    );
    out.push(
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#475569">${escapeXml(fmt(v))}${spec.unit ? escapeXml(spec.unit) : ''}</text>`,
    );
  }
  // Bars.
  const barW = Math.max(2, (slot * 0.7) / (spec.stacked ? 1 : Math.max(1, bars.length)));
  spec.labels.forEach((label, i) => {
    let base = 0;
    bars.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const bx = spec.stacked ? x(i) + slot * 0.15 : x(i) + slot * 0.15 + j * barW;
      const y0 = y(spec.stacked ? base + v : v);
      const h = y(spec.stacked ? base : 0) - y0;
      if (v > 0)
        out.push(
          `<rect x="${bx.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${s.colour}"><title>${escapeXml(`${label} · ${s.name}: ${fmt(v)}${spec.unit ?? ''}`)}</title></rect>`,
        );
      if (spec.stacked) base += v;
    });
  });
  // Lines (gaps where a value is null).
  for (const s of lines) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${(x(i) + slot / 2).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    if (d) out.push(`<path d="${d.trim()}" fill="none" stroke="${s.colour}" stroke-width="2.5"/>`);
    s.values.forEach((v, i) => {
      if (v !== null)
        out.push(
          `<circle cx="${(x(i) + slot / 2).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.colour}"><title>${escapeXml(`${spec.labels[i]} · ${s.name}: ${fmt(v)}${spec.unit ?? ''}`)}</title></circle>`,
        );
    });
  }
  // X axis labels: at most ~10, evenly spaced.
  const every = Math.max(1, Math.ceil(n / 8));
  const axis = spec.axisLabels ?? spec.labels;
  axis.forEach((label, i) => {
    if (i % every !== 0) return;
    out.push(
      `<text x="${(x(i) + slot / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" fill="#475569">${escapeXml(label)}</text>`,
    );
  });
  out.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#94a3b8"/>`);
  out.push(`<text x="${left}" y="${height - 10}" fill="#64748b" font-size="10">${escapeXml(spec.note)}</text>`);
  out.push('</svg>');
  return out.join('');
}

/** A small line of the trailing buckets, for a KPI card. */
export function sparklineSvg(values: Array<number | null>, colour: string, width = 120, height = 32): string {
  const nums = values.map((v) => v ?? 0);
  const max = Math.max(1e-9, ...nums);
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const pts = values
    .map((v, i) =>
      v === null ? null : `${(2 + i * step).toFixed(1)},${(height - 3 - (v / max) * (height - 6)).toFixed(1)}`,
    )
    .filter(Boolean)
    .join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true"><polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"/></svg>`;
}

/** CSV of a chart's data: a header of the series names, one row per bucket (lib/export/csv.ts: RFC 4180, formula-safe). */
export function chartCsv(
  labelHeader: string,
  labels: string[],
  series: Array<{ name: string; values: Array<number | null> }>,
): string {
  // Labels can be telemetry (device and process names on the Overview's breakdowns): formula-safe like every export.
  return (
    csvRow([labelHeader, ...series.map((s) => s.name)]) +
    labels.map((label, i) => csvRow([label, ...series.map((s) => s.values[i])])).join('')
  );
}
