/** Downloads of the current filter (analysts and admins; the route checks too). */
export function ExportButtons({ query, path = '/hits/export' }: { query: string; path?: string }) {
  const href = (format: 'csv' | 'json') => `${path}?${query ? `${query}&` : ''}format=${format}`;
  const linkClass =
    'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
  return (
    <>
      <a href={href('csv')} download className={linkClass}>
        Export CSV
      </a>
      <a href={href('json')} download className={linkClass}>
        Export JSON
      </a>
    </>
  );
}
