import Link from 'next/link';
import { PageHeader } from '@/components/layout/PageHeader';
import { ROW, TABLE, THEAD } from '@/components/relays/relayFormat';
import { formatUtc } from '@/lib/time/formatUtc';
import { requirePageRole } from '@/lib/auth/guard';
import { listSchedules } from '@/lib/queries/listSchedules';
import { FeedToggle, FeedUrlForm, ScheduleForm } from './ScheduleForms';

export const metadata = { title: 'Feeds & schedules' };

export default async function SchedulesPage() {
  const actor = await requirePageRole('admin');
  const { schedules, feeds } = await listSchedules(actor);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings" className="text-violet-700 hover:underline dark:text-violet-400">
          ← Settings
        </Link>
      </p>
      <PageHeader
        title="Feeds & schedules"
        description="Where and when the worker fetches relay lists (a mirror's URL for sites without direct access), and when it matches events (cron, UTC). Changes apply at once, without a restart."
      />
      <section aria-labelledby="feeds-heading" className="mb-8">
        <h2 id="feeds-heading" className="mb-2 text-lg font-medium">
          Relay feeds
        </h2>
        <div className={TABLE}>
          <table className="w-full text-left text-sm" aria-label="Relay feed settings">
            <thead className={THEAD}>
              <tr>
                <th className="px-3 py-2">Feed</th>
                <th className="px-3 py-2">URL</th>
                <th className="px-3 py-2">State</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {feeds.map((feed) => (
                <tr key={feed.name} className={ROW}>
                  <td className="px-3 py-2">
                    <div className="font-medium">{feed.name}</div>
                    <div className="text-xs text-slate-500">{feed.format}</div>
                  </td>
                  <td className="px-3 py-2">
                    {feed.url ? (
                      <FeedUrlForm feed={feed.name} url={feed.url} />
                    ) : (
                      <span className="text-xs text-slate-500">manual imports</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {feed.enabled ? (
                      'enabled'
                    ) : (
                      <span className="font-medium text-amber-800 dark:text-amber-300">disabled</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <FeedToggle feed={feed.name} enabled={feed.enabled} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="schedules-heading">
        <h2 id="schedules-heading" className="mb-2 text-lg font-medium">
          Schedules
        </h2>
        <div className={TABLE}>
          <table className="w-full text-left text-sm" aria-label="Schedules">
            <thead className={THEAD}>
              <tr>
                <th className="px-3 py-2">Job</th>
                <th className="px-3 py-2">Cron (UTC)</th>
                <th className="px-3 py-2">Next runs</th>
              </tr>
            </thead>
            <tbody>
              {schedules.map((schedule) => (
                <tr key={schedule.queue} className={ROW}>
                  <td className="px-3 py-2">
                    <div className="font-medium">{schedule.queue}</div>
                    <div className="text-xs text-slate-500">
                      {schedule.description}
                      {schedule.overridden ? ' · changed from the default' : ''}
                    </div>
                  </td>
                  <td className="px-3 py-2">
                    <ScheduleForm queue={schedule.queue} cron={schedule.cron} defaultCron={schedule.defaultCron} />
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    {schedule.nextRunsAt.length
                      ? schedule.nextRunsAt.map((at) => <div key={at}>{formatUtc(at)}</div>)
                      : 'never'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
