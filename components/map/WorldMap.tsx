import Link from 'next/link';
import { ChartExportButtons } from '@/components/charts/ChartExportButtons';
import { countryName } from '@/components/hits/countryName';
import { chartCsv } from '@/lib/charts/svgChart';
import {
  MAP_HEIGHT,
  MAP_NO_DATA,
  MAP_WIDTH,
  colourFor,
  mapClasses,
  mappedCountries,
  worldShapes,
} from '@/lib/map/worldMap';

export interface CountryCount {
  country: string; // lower-case alpha-2, '-' unknown
  hits: number;
  devices: number;
}

/**
 * Choropleth of relay countries contacted. Server-rendered SVG: each country is a link to the hits filtered to it,
 * with its counts as the hover title; a legend states what the colour means; countries too small for the 1:110m
 * atlas and unknown countries are listed beside it.
 */
export function WorldMap({
  counts,
  measure,
  hitsHref,
  switchHref,
  periodLabel,
}: {
  counts: CountryCount[];
  measure: 'hits' | 'devices';
  hitsHref: (country: string) => string;
  switchHref: (measure: 'hits' | 'devices') => string;
  periodLabel: string;
}) {
  const byCountry = new Map(counts.map((c) => [c.country, c]));
  const max = Math.max(0, ...counts.filter((c) => c.country !== '-').map((c) => c[measure]));
  const classes = mapClasses(max);
  const drawn = mappedCountries();
  const notDrawn = counts.filter((c) => !drawn.has(c.country) && c[measure] > 0);
  const noun = measure === 'hits' ? 'hits' : 'distinct devices';
  const meaning =
    measure === 'hits'
      ? `Colour = number of hits (connections) to relays in the country, ${periodLabel}.`
      : `Colour = number of distinct devices that contacted a relay in the country, ${periodLabel}.`;
  const csv = chartCsv(
    'country',
    counts.map((c) => (c.country === '-' ? 'unknown' : c.country.toUpperCase())),
    [
      { name: 'hits', values: counts.map((c) => c.hits) },
      { name: 'devices', values: counts.map((c) => c.devices) },
    ],
  );
  const tab = (m: 'hits' | 'devices') =>
    `rounded-md border px-2.5 py-1 text-sm ${measure === m ? 'border-violet-700 bg-violet-700 text-white' : 'border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900'}`;
  return (
    <section
      data-chart-card
      aria-label="Relay countries map"
      className="break-inside-avoid rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-2 flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 className="font-medium">Relay countries contacted</h3>
          <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="map-meaning">
            {meaning} <span className="print:hidden">Click a country for its hits.</span>
          </p>
        </div>
        <div className="flex items-center gap-2">
          <nav aria-label="Map measure" className="flex gap-1 print:hidden">
            <Link
              href={switchHref('hits')}
              className={tab('hits')}
              aria-current={measure === 'hits' ? 'true' : undefined}
            >
              Hits
            </Link>
            <Link
              href={switchHref('devices')}
              className={tab('devices')}
              aria-current={measure === 'devices' ? 'true' : undefined}
            >
              Devices
            </Link>
          </nav>
          <ChartExportButtons name={`relay-countries-${measure}`} csv={csv} />
        </div>
      </div>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        width={MAP_WIDTH}
        height={MAP_HEIGHT}
        role="img"
        aria-label={`World map: ${noun} per relay country`}
        className="h-auto w-full"
        data-testid="world-map"
      >
        <rect width={MAP_WIDTH} height={MAP_HEIGHT} fill="#ffffff" />
        {worldShapes().map((shape, i) => {
          const count = byCountry.get(shape.alpha2);
          const value = count?.[measure] ?? 0;
          const fill = colourFor(value, classes);
          const label = `${shape.alpha2 ? countryName(shape.alpha2) : shape.name}: ${(count?.hits ?? 0).toLocaleString('en-US')} hits, ${(count?.devices ?? 0).toLocaleString('en-US')} devices`;
          const path = (
            <path
              d={shape.d}
              fill={fill}
              stroke="#ffffff"
              strokeWidth={0.5}
              className={value > 0 ? 'hover:opacity-80' : undefined}
            >
              <title>{label}</title>
            </path>
          );
          return value > 0 && shape.alpha2 ? (
            <a key={i} href={hitsHref(shape.alpha2)} aria-label={label} data-country={shape.alpha2}>
              {path}
            </a>
          ) : (
            <g key={i}>{path}</g>
          );
        })}
      </svg>
      <div className="mt-2 flex flex-wrap items-center gap-3 text-xs" aria-label="Legend" data-testid="map-legend">
        <span className="font-medium">{measure === 'hits' ? 'Hits' : 'Distinct devices'}:</span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-5 border border-slate-300" style={{ background: MAP_NO_DATA }} /> none
        </span>
        {classes.map((c) => (
          <span key={c.from} className="flex items-center gap-1">
            <span className="inline-block h-3 w-5" style={{ background: c.colour }} />
            {c.from === c.to
              ? c.from.toLocaleString('en-US')
              : `${c.from.toLocaleString('en-US')}–${c.to.toLocaleString('en-US')}`}
          </span>
        ))}
        <span className="text-slate-500">(viridis scale: readable with colour-vision deficiencies)</span>
      </div>
      {notDrawn.length ? (
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Not drawn at this scale:{' '}
          {notDrawn.map((c, i) => (
            <span key={c.country}>
              {i ? ', ' : ''}
              {c.country === '-' ? (
                `unknown country ${c[measure].toLocaleString('en-US')}`
              ) : (
                <Link href={hitsHref(c.country)} className="underline">
                  {countryName(c.country)} {c[measure].toLocaleString('en-US')}
                </Link>
              )}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
