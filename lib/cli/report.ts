import { parseArgs } from 'node:util';
import { isTimeZone } from '@/lib/time/zones';
import { parsePeriodDays, parseRecipients, ReportSendError, sendReport } from '@/lib/reports/sendReport';
import { CommandError, UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch report send --to a@x[,b@y] [--period 7d|30d|90d] [--zone Europe/Berlin]';

// Renders the report and sends it in the foreground, no web server needed (issue 17). Exit 0 once the SMTP server
// accepted the message; 1 with the SMTP error in words; 2 for a wrong command line.
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'send') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'which subcommand? (send)');
  let values: { to?: string; period?: string; zone?: string };
  try {
    values = parseArgs({
      args: rest,
      options: { to: { type: 'string' }, period: { type: 'string' }, zone: { type: 'string' } },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let to: string[];
  let days: number;
  try {
    if (!values.to) throw new ReportSendError('--to: give one or more addresses, comma-separated');
    to = parseRecipients(values.to);
    days = parsePeriodDays(values.period ?? '7d');
    if (values.zone && !isTimeZone(values.zone)) throw new ReportSendError('--zone: not an IANA time zone');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  try {
    const result = await withDatabase(() => sendReport({ to, days, zone: values.zone, trigger: 'cli' }));
    console.log(
      `sent "${result.content.subject}" to ${result.accepted.join(', ')}: ${result.response} ` +
        `(built in ${result.buildMs} ms, sent in ${result.sendMs} ms)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ReportSendError) throw new CommandError(error.message);
    throw error;
  }
}
