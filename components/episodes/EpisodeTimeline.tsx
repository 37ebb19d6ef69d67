// A small timeline of an episode: one tick per hit between its first and last time (coloured by confidence), so a
// burst, a steady trickle or two clusters joined by a late hit can be told apart at a glance. Pure SVG, no script.
const COLOURS: Record<string, string> = { high: '#b91c1c', medium: '#d97706', low: '#64748b' };

export function EpisodeTimeline({
  hits,
  firstSeen,
  lastSeen,
}: {
  hits: Array<{ id: string; ts: string; confidence: string }>;
  firstSeen: string;
  lastSeen: string;
}) {
  const start = Date.parse(firstSeen);
  const span = Math.max(Date.parse(lastSeen) - start, 1);
  const width = 600;
  const x = (ts: string) => 8 + ((Date.parse(ts) - start) / span) * (width - 16);
  const hours = (span / 3600_000).toFixed(span < 36_000_000 ? 1 : 0);
  return (
    <figure aria-label="Episode timeline" className="flex flex-col gap-1">
      <svg
        viewBox={`0 0 ${width} 28`}
        className="h-7 w-full max-w-[600px]"
        role="img"
        aria-label={`${hits.length} hits over ${hours} h`}
      >
        <line x1={8} x2={width - 8} y1={14} y2={14} stroke="currentColor" strokeOpacity={0.3} />
        {hits.map((hit) => (
          <line
            key={hit.id}
            data-testid="timeline-tick"
            x1={x(hit.ts)}
            x2={x(hit.ts)}
            y1={4}
            y2={24}
            stroke={COLOURS[hit.confidence] ?? COLOURS.low}
            strokeWidth={2}
          />
        ))}
      </svg>
      <figcaption className="flex max-w-[600px] justify-between text-xs text-slate-500">
        <span>{firstSeen.slice(0, 16).replace('T', ' ')} UTC</span>
        <span>{hours} h</span>
        <span>{lastSeen.slice(0, 16).replace('T', ' ')} UTC</span>
      </figcaption>
    </figure>
  );
}
