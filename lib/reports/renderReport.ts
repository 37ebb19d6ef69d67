import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { countryName } from '@/components/hits/countryName';
import { escapeXml } from '@/lib/charts/svgChart';
import { formatKpi, kpiChange, KPI_SECTIONS } from '@/lib/kpis/definitions';
import { bucketNote, kpiCharts } from '@/lib/kpis/kpiCharts';
import type { KpiReport } from '@/lib/queries/getKpiReport';
import { formatZoned } from '@/lib/time/zones';

// The report as an e-mail (issue 17): HTML with the KPI table and the charts as inline PNG parts (`cid:`) — mail
// clients drop SVG and scripts — a plain-text part, and a one-page PDF. Everything is rendered here, server-side and
// without a browser, from the same KPI report and chart definitions as the Trends page (lib/kpis/kpiCharts.ts), so
// `torwatch report send` works with no web server running.

export interface ReportContent {
  subject: string;
  html: string;
  text: string;
  images: Array<{ cid: string; filename: string; png: Buffer; title: string }>;
  pdf: { filename: string; bytes: Buffer };
}

export interface ReportInput {
  report: KpiReport;
  countries: Array<{ country: string; hits: number; devices: number }>;
  periodLabel: string; // "last 7 days"
  generatedAt: Date;
}

const EMAIL_CHARTS = ['reach', 'confidence', 'processes', 'triage'];

// Scanning every system font costs ~0.5 s per image: load the one font the charts name when it is installed.
const CHART_FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
].filter((file) => existsSync(file));

/** SVG → PNG at twice the size, with DejaVu Sans (else the system's fonts): no network, no browser. */
export function svgToPng(svg: string, width: number, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width * scale },
    font: CHART_FONT_FILES.length
      ? { fontFiles: CHART_FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }
      : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return Buffer.from(resvg.render().asPng());
}

export function reportSubject(input: ReportInput): string {
  const k = input.report.kpis;
  return `TorWatch report, ${input.periodLabel}: ${formatKpi(k.hits.current, 'count')} hits on ${formatKpi(k.devices.current, 'count')} devices`;
}

function kpiRows() {
  return KPI_SECTIONS.flatMap((section) => section.keys.map((key) => ({ section: section.title, key })));
}

export async function renderReport(input: ReportInput): Promise<ReportContent> {
  const { report } = input;
  const zone = report.zone;
  const charts = kpiCharts(report, { width: 600, height: 240 }).filter((c) => EMAIL_CHARTS.includes(c.id));
  const images = charts.map((c) => ({
    cid: `${c.id}@torwatch`,
    filename: `${c.id}.png`,
    png: svgToPng(c.svg, 600),
    title: c.title,
  }));
  // The PDF draws each chart ~260 pt wide: 600 px is ~170 dpi, and pdf-lib re-compresses 4× fewer pixels (seconds).
  const pdfImages = charts.map((c, i) => ({ ...images[i], png: svgToPng(c.svg, 600, 1) }));
  const span = `${formatZoned(new Date(report.period.from), zone)} – ${formatZoned(new Date(report.period.to), zone)} (${zone})`;
  const topCountries = input.countries
    .filter((c) => c.country !== '-')
    .slice(0, 5)
    .map((c) => `${countryName(c.country)} ${c.hits.toLocaleString('en-US')}`);
  const rows = kpiRows();
  let lastSection = '';
  const htmlRows = rows
    .map(({ section, key }) => {
      const k = report.kpis[key];
      const change = kpiChange(k.current, k.previous, k);
      const colour = change.tone === 'bad' ? '#b91c1c' : change.tone === 'good' ? '#047857' : '#475569';
      const head =
        section !== lastSection
          ? `<tr><th colspan="4" align="left" style="padding:10px 0 2px;font-size:11px;color:#64748b;text-transform:uppercase">${escapeXml(section)}</th></tr>`
          : '';
      lastSection = section;
      return `${head}<tr data-kpi="${key}"><td style="padding:2px 12px 2px 0">${escapeXml(k.label)}</td><td align="right" style="font-weight:bold">${escapeXml(formatKpi(k.current, k.unit))}</td><td align="right" style="color:#475569;padding-left:12px">${escapeXml(formatKpi(k.previous, k.unit))}</td><td align="right" style="color:${colour};padding-left:12px">${escapeXml(change.text)}</td></tr>`;
    })
    .join('');
  const html = `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#0f172a;max-width:640px">
<h1 style="font-size:20px;margin:0 0 4px">TorWatch report — ${escapeXml(input.periodLabel)}</h1>
<p style="font-size:12px;color:#475569;margin:0 0 12px">${escapeXml(span)}, compared with the period of equal length before it. Event times of hits; suppressed hits and withdrawn evidence left out.</p>
<table cellspacing="0" cellpadding="0" style="font-size:13px;border-collapse:collapse">
<tr><th align="left">Figure</th><th align="right">This period</th><th align="right" style="padding-left:12px">Previous</th><th align="right" style="padding-left:12px">Change</th></tr>
${htmlRows}</table>
<p style="font-size:13px">Top relay countries: ${escapeXml(topCountries.join(', ') || 'none')}</p>
${images.map((i) => `<h2 style="font-size:14px;margin:16px 0 4px">${escapeXml(i.title)}</h2><img src="cid:${i.cid}" width="600" alt="${escapeXml(i.title)}" style="display:block;max-width:100%">`).join('\n')}
<p style="font-size:11px;color:#64748b">${escapeXml(bucketNote(report))}. The PDF attached is the same report on one page. Generated ${escapeXml(formatZoned(input.generatedAt, zone))} (${escapeXml(zone)}).</p>
</body></html>`;
  const text = [
    `TorWatch report — ${input.periodLabel}`,
    span,
    '',
    ...rows.map(({ key }) => {
      const k = report.kpis[key];
      return `${k.label}: ${formatKpi(k.current, k.unit)} (previous ${formatKpi(k.previous, k.unit)}, ${kpiChange(k.current, k.previous, k).text})`;
    }),
    '',
    `Top relay countries: ${topCountries.join(', ') || 'none'}`,
  ].join('\n');
  const pdf = await reportPdf(input, span, pdfImages);
  const day = formatZoned(new Date(report.period.to), zone).slice(0, 10);
  return {
    subject: reportSubject(input),
    html,
    text,
    images,
    pdf: { filename: `torwatch-report-${day}.pdf`, bytes: pdf },
  };
}

/** The standard PDF fonts speak WinAnsi: replace what they cannot draw. */
function pdfText(text: string): string {
  return text
    .replace(/\u2212/g, '-')
    .replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, '?');
}

async function reportPdf(input: ReportInput, span: string, images: ReportContent['images']): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`TorWatch report — ${input.periodLabel}`);
  doc.setProducer('TorWatch');
  doc.setCreationDate(input.generatedAt);
  const page = doc.addPage([595.28, 841.89]); // A4
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const margin = 36;
  let y = 841.89 - margin;
  const text = (p: PDFPage, t: string, x: number, size: number, f: PDFFont = font, colour = rgb(0.06, 0.09, 0.16)) =>
    p.drawText(pdfText(t), { x, y, size, font: f, color: colour });
  const right = (
    p: PDFPage,
    t: string,
    xRight: number,
    size: number,
    f: PDFFont = font,
    colour = rgb(0.06, 0.09, 0.16),
  ) => p.drawText(pdfText(t), { x: xRight - f.widthOfTextAtSize(pdfText(t), size), y, size, font: f, color: colour });
  y -= 16;
  text(page, `TorWatch report — ${input.periodLabel}`, margin, 16, bold);
  y -= 14;
  text(page, `${span}, compared with the period of equal length before it.`, margin, 8.5, font, rgb(0.3, 0.33, 0.4));
  y -= 6;
  page.drawLine({
    start: { x: margin, y },
    end: { x: 595.28 - margin, y },
    thickness: 1.5,
    color: rgb(0.43, 0.16, 0.85),
  });
  // KPI table on the left half.
  const tableRight = 290;
  y -= 14;
  text(page, 'Figure', margin, 8, bold);
  right(page, 'This period', tableRight - 90, 8, bold);
  right(page, 'Previous', tableRight - 40, 8, bold);
  right(page, 'Change', tableRight, 8, bold);
  let lastSection = '';
  for (const { section, key } of kpiRows()) {
    if (section !== lastSection) {
      y -= 13;
      text(page, section.toUpperCase(), margin, 7.5, bold, rgb(0.39, 0.45, 0.55));
      lastSection = section;
    }
    const k = input.report.kpis[key];
    const change = kpiChange(k.current, k.previous, k);
    y -= 11;
    text(page, k.label, margin, 8.5);
    right(page, formatKpi(k.current, k.unit), tableRight - 90, 8.5, bold);
    right(page, formatKpi(k.previous, k.unit), tableRight - 40, 8.5, font, rgb(0.3, 0.33, 0.4));
    const colour =
      change.tone === 'bad'
        ? rgb(0.72, 0.11, 0.11)
        : change.tone === 'good'
          ? rgb(0.02, 0.47, 0.34)
          : rgb(0.3, 0.33, 0.4);
    right(page, change.text, tableRight, 8.5, font, colour);
  }
  const tableBottom = y;
  // Top countries on the right half.
  y = 841.89 - margin - 50;
  text(page, 'TOP RELAY COUNTRIES (HITS)', 320, 7.5, bold, rgb(0.39, 0.45, 0.55));
  for (const c of input.countries.filter((c) => c.country !== '-').slice(0, 12)) {
    y -= 11;
    text(page, `${c.country.toUpperCase()}  ${countryName(c.country)}`, 320, 8.5);
    right(page, c.hits.toLocaleString('en-US'), 595.28 - margin, 8.5, bold);
  }
  // Charts, two per row, below.
  y = Math.min(tableBottom, y) - 16;
  const chartW = (595.28 - 2 * margin - 12) / 2;
  for (let i = 0; i < images.length; i++) {
    const png = await doc.embedPng(images[i].png);
    const h = (png.height / png.width) * chartW;
    const col = i % 2;
    if (col === 0 && i > 0) y -= h + 22;
    const x = margin + col * (chartW + 12);
    page.drawText(pdfText(images[i].title), { x, y: y - 10, size: 9, font: bold });
    page.drawImage(png, { x, y: y - 14 - h, width: chartW, height: h });
  }
  page.drawText(
    pdfText(`Generated ${formatZoned(input.generatedAt, input.report.zone)} (${input.report.zone}) by TorWatch.`),
    {
      x: margin,
      y: margin - 14,
      size: 7,
      font,
      color: rgb(0.39, 0.45, 0.55),
    },
  );
  return Buffer.from(await doc.save());
}
