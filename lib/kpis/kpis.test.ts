import { describe, expect, it } from 'vitest';
import { chartCsv, escapeXml, niceScale, seriesChartSvg } from '@/lib/charts/svgChart';
import { colourFor, MAP_NO_DATA, mapClasses, mappedCountries } from '@/lib/map/worldMap';
import { formatZonedBucket, isTimeZone, parseTimeZone, shortZonedBucket } from '@/lib/time/zones';
import { formatKpi, KPI_DEFINITIONS, kpiChange } from './definitions';
import { processGroup } from './processGroups';

describe('KPI presentation', () => {
  it('states change against the previous period, with the tone a manager reads', () => {
    expect(kpiChange(12, 10, KPI_DEFINITIONS.hits)).toEqual({ text: '+20 %', direction: 'up', tone: 'bad' });
    expect(kpiChange(8, 10, KPI_DEFINITIONS.triaged)).toEqual({ text: '−20 %', direction: 'down', tone: 'bad' });
    expect(kpiChange(5, 0, KPI_DEFINITIONS.hits).text).toBe('new');
    expect(kpiChange(30.5, 25, KPI_DEFINITIONS.exitShare)).toEqual({
      text: '+5.5 pt',
      direction: 'up',
      tone: 'neutral',
    });
    expect(kpiChange(null, 3, KPI_DEFINITIONS.meanTimeToTriageHours).text).toBe('no comparison');
    expect(formatKpi(1234, 'count')).toBe('1,234');
    expect(formatKpi(72, 'hours')).toBe('3.0 d');
    expect(formatKpi(null, 'percent')).toBe('–');
  });

  it('groups processes: Tor Browser by folder, tor daemon, other browsers, the rest', () => {
    expect(processGroup('firefox.exe', 'C:\\Users\\a\\Desktop\\Tor Browser\\Browser')).toBe('torBrowser');
    expect(processGroup('tor.exe', 'c:\\users\\a\\desktop\\tor browser\\browser\\torbrowser\\tor')).toBe('torBrowser');
    expect(processGroup('tor', '/usr/bin')).toBe('torDaemon');
    expect(processGroup('Chrome.exe', 'C:\\Program Files\\Google')).toBe('otherBrowser');
    expect(processGroup('xmrig.exe', null)).toBe('other');
    expect(processGroup(null, null)).toBe('other');
  });
});

describe('time zones', () => {
  it('accepts IANA names and refuses others with the field named', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone("UTC'; DROP")).toBe(false);
    expect(() => parseTimeZone('Mars/Olympus')).toThrow(/^zone: not an IANA time zone/);
    expect(parseTimeZone(undefined)).toBe('UTC');
  });
  it('labels buckets in the zone', () => {
    const start = new Date('2026-04-30T22:00:00Z'); // 1 May 00:00 in Berlin
    expect(formatZonedBucket(start, 'month', 'Europe/Berlin')).toBe('2026-05');
    expect(formatZonedBucket(start, 'month', 'UTC')).toBe('2026-04');
    expect(shortZonedBucket(start, 'week', 'Europe/Berlin')).toBe('1 May');
  });
});

describe('SVG charts', () => {
  it('escapes text and rounds the axis', () => {
    const svg = seriesChartSvg({
      title: '<b>',
      labels: ['a&b', 'c'],
      series: [{ name: '"x"', values: [1, null], colour: '#000', kind: 'bar' }],
      note: 'zone UTC',
    });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('a&amp;b · &quot;x&quot;: 1');
    expect(escapeXml(`<'>`)).toBe('&lt;&apos;&gt;');
    expect(niceScale(87)).toEqual({ max: 100, step: 25 });
    expect(chartCsv('week', ['w1', 'w,2'], [{ name: 'hits', values: [3, null] }])).toBe(
      'week,hits\r\nw1,3\r\n"w,2",\r\n',
    );
  });

  it('chart CSV is safe in a spreadsheet: labels from telemetry (device, process names) cannot become formulas', () => {
    expect(
      chartCsv('By device', ['=HYPERLINK("http://x")', '@SUM(1)', 'wks-01;b'], [{ name: 'Hits', values: [1, 2, 3] }]),
    ).toBe(`By device,Hits\r\n"'=HYPERLINK(""http://x"")",1\r\n'@SUM(1),2\r\n"wks-01;b",3\r\n`);
  });
});

describe('world map', () => {
  it('maps alpha-2 codes onto the atlas, Kosovo included', () => {
    const drawn = mappedCountries();
    for (const code of ['de', 'us', 'fr', 'nl', 'ru', 'br', 'xk', 'au']) expect(drawn.has(code)).toBe(true);
    expect(drawn.has('aq')).toBe(false); // Antarctica left out
  });
  it('classes cover 1..max without gaps and grey means none', () => {
    for (const max of [1, 2, 7, 208, 50_000]) {
      const classes = mapClasses(max);
      expect(classes[0].from).toBe(1);
      expect(classes.at(-1)!.to).toBe(max);
      for (let i = 1; i < classes.length; i++) expect(classes[i].from).toBe(classes[i - 1].to + 1);
    }
    expect(colourFor(0, mapClasses(10))).toBe(MAP_NO_DATA);
    expect(colourFor(10, mapClasses(10))).toBe('#440154');
  });
});
