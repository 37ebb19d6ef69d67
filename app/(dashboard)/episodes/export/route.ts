import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { HttpError } from '@/lib/http/httpError';
import { audit } from '@/lib/auth/audit';
import { csvRow } from '@/lib/export/csv';
import { exportEpisodes } from '@/lib/episodes/exportEpisodes';
import { EPISODE_COLUMNS } from '@/lib/episodes/episodeColumns';
import { HitFilterError, parseHitFilter, serialiseHitFilter } from '@/lib/hits/filters';

// GET /episodes/export?<filter>&format=csv|json — the Episodes page's current filter as a download (the columns of
// `torwatch episodes`, CSV formula-safe). Analysts and admins; audited as episodes.export.
const query = z.looseObject({ format: z.enum(['csv', 'json']).default('csv') });

export const GET = apiRoute({ role: 'analyst', query }, async ({ actor, query: { format }, request }) => {
  let filter;
  try {
    filter = parseHitFilter(new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof HitFilterError) throw new HttpError(400, error.message);
    throw error;
  }
  await audit(actor, 'episodes.export', 'episodes', { format, filter: serialiseHitFilter(filter).toString() });
  const rows = await exportEpisodes(actor, filter);
  const body =
    format === 'csv'
      ? csvRow(EPISODE_COLUMNS) + rows.map((row) => csvRow(EPISODE_COLUMNS.map((c) => row[c]))).join('')
      : `${JSON.stringify(rows, null, 0).replace(/^\[/, '[\n').replace(/},{/g, '},\n{')}\n`;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return new Response(body, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="torwatch-episodes-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
});
