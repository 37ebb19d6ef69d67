import { ChartExportButtons } from './ChartExportButtons';

/** A card around a server-drawn SVG chart (lib/charts/svgChart.ts), with PNG/CSV export. */
export function SvgChartCard({
  id,
  title,
  description,
  svg,
  csv,
}: {
  id: string;
  title: string;
  description?: string;
  svg: string;
  csv: string;
}) {
  return (
    <section
      data-chart-card
      aria-label={title}
      className="break-inside-avoid rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-2 flex items-start justify-between gap-2">
        <div>
          <h3 className="font-medium">{title}</h3>
          {description ? <p className="text-xs text-slate-600 dark:text-slate-400">{description}</p> : null}
        </div>
        <ChartExportButtons name={id} csv={csv} />
      </div>
      {/* The SVG is our own markup with every text escaped (lib/charts/svgChart.ts). */}
      <div
        className="w-full overflow-x-auto [&_svg]:h-auto [&_svg]:max-w-full"
        dangerouslySetInnerHTML={{ __html: svg }}
      />
    </section>
  );
}
