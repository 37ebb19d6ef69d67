import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { HttpError } from '@/lib/http/httpError';
import { audit } from '@/lib/auth/audit';
import { csvRow } from '@/lib/export/csv';
import { HitFilterError, parseHitFilter, serialiseHitFilter } from '@/lib/hits/filters';
import { exportHits, HIT_EXPORT_COLUMNS, type HitExportRecord } from '@/lib/queries/exportHits';

// GET /hits/export?<hits filter>&format=csv|json — the current filter of the hits explorer as a download.
// Analysts and admins only (exports carry raw event data); audited as hits.export.
const query = z.looseObject({ format: z.enum(['csv', 'json']).default('csv') });

export const GET = apiRoute({ role: 'analyst', query }, async ({ actor, query: { format }, request }) => {
  const url = new URL(request.url);
  let filter;
  try {
    filter = parseHitFilter(url.searchParams);
  } catch (error) {
    if (error instanceof HitFilterError) throw new HttpError(400, error.message);
    throw error;
  }
  await audit(actor, 'hits.export', 'hits', { format, filter: serialiseHitFilter(filter).toString() });
  const encoder = new TextEncoder();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (format === 'csv') controller.enqueue(encoder.encode(csvRow(HIT_EXPORT_COLUMNS)));
        else controller.enqueue(encoder.encode('['));
        let first = true;
        await exportHits(actor, filter, (rows: HitExportRecord[]) => {
          const text =
            format === 'csv'
              ? rows.map((row) => csvRow(HIT_EXPORT_COLUMNS.map((c) => row[c]))).join('')
              : rows.map((row) => `${first ? ((first = false), '') : ','}\n${JSON.stringify(row)}`).join('');
          controller.enqueue(encoder.encode(text));
        });
        if (format === 'json') controller.enqueue(encoder.encode('\n]\n'));
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="torwatch-hits-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
});
