import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import countries from 'i18n-iso-countries';
import atlas from 'world-atlas/countries-110m.json' with { type: 'json' };
import type { GeometryCollection, Topology } from 'topojson-specification';

// The world map of relay countries (issue 17): Natural Earth 1:110m shapes bundled by the `world-atlas` package,
// projected once with d3-geo (Equal Earth, so areas compare honestly) into SVG paths — no tiles, no network.
// Relay countries are ISO 3166-1 alpha-2 (docs/architecture.md §3); the atlas keys shapes by ISO numeric id, so
// `i18n-iso-countries` maps one to the other. Kosovo has no numeric code: the atlas names it, and so do we.

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 470;

export interface CountryShape {
  alpha2: string; // lower case, '' when the atlas shape has no ISO code we know
  name: string;
  d: string; // SVG path
}

let shapes: CountryShape[] | null = null;

/** Every country shape of the atlas (Antarctica left out: no relays, much ink), projected to MAP_WIDTH × MAP_HEIGHT. */
export function worldShapes(): CountryShape[] {
  if (shapes) return shapes;
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  const features = collection.features.filter((f) => f.id !== '010');
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features },
  );
  const path = geoPath(projection);
  shapes = features
    .map((f) => ({
      alpha2: alpha2Of(String(f.id ?? ''), f.properties?.name ?? ''),
      name: f.properties?.name ?? '',
      d: path(f) ?? '',
    }))
    .filter((s) => s.d);
  return shapes;
}

function alpha2Of(numeric: string, name: string): string {
  if (name === 'Kosovo') return 'xk';
  if (!numeric) return '';
  return (countries.numericToAlpha2(numeric) ?? '').toLowerCase();
}

/** Alpha-2 codes drawn on the map (small states such as Luxembourg or Singapore are not, at 1:110m). */
export function mappedCountries(): Set<string> {
  return new Set(
    worldShapes()
      .map((s) => s.alpha2)
      .filter(Boolean),
  );
}

// Viridis (perceptually uniform, readable with every common colour-vision deficiency and in grey), reversed so that
// more contact is darker. Five classes.
export const MAP_COLOURS = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'] as const;
export const MAP_NO_DATA = '#e5e7eb';

/** Class boundaries for counts up to `max`: equal steps in log scale, so one busy country does not wash out the rest. */
export function mapClasses(max: number): Array<{ from: number; to: number; colour: string }> {
  if (max <= 0) return [];
  const k = MAP_COLOURS.length;
  const edges: number[] = [0];
  for (let i = 1; i <= k; i++) edges.push(Math.round(Math.exp((Math.log(max + 1) * i) / k)) - 1);
  const classes: Array<{ from: number; to: number; colour: string }> = [];
  for (let i = 0; i < k; i++) {
    const from = Math.max(edges[i] + 1, classes.at(-1) ? classes.at(-1)!.to + 1 : 1);
    const to = Math.max(from, edges[i + 1]);
    if (from > max) break;
    classes.push({ from, to: i === k - 1 ? Math.max(to, max) : to, colour: MAP_COLOURS[i] });
  }
  return classes;
}

export function colourFor(value: number, classes: Array<{ from: number; to: number; colour: string }>): string {
  if (value <= 0) return MAP_NO_DATA;
  return classes.find((c) => value >= c.from && value <= c.to)?.colour ?? classes.at(-1)?.colour ?? MAP_NO_DATA;
}
