import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { formatKpi, KPI_KEYS } from '@/lib/kpis/definitions';
import { parseKpiParams } from '@/lib/kpis/kpiParams';
import { getKpiReport } from '@/lib/queries/getKpiReport';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from '../queries/__fixtures__/seedHits';
import { sendReport } from './sendReport';
import {
  listReportDeliveries,
  loadReportSchedule,
  reportJob,
  saveReportSchedule,
  saveSmtpSettings,
} from './reportSchedule';
import { loadSmtpConfig } from './smtpSettings';

// The report e-mail (issue 17), delivered to a real SMTP server on loopback: subject, recipients, inline PNG charts
// referenced by cid:, a readable PDF, and numbers equal to the Trends page's (and the Overview's) for the same
// period. The CLI is run for real too: exit 0 once accepted, 1 with the SMTP error.

useTestDatabase();
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const received: Array<{ from: string; to: string[]; raw: Buffer }> = [];
let rejectRcpt = false;
let requireLogin: { user: string; pass: string } | null = null;
const admin: Actor = { kind: 'user', id: 'a', label: 'admin@example.test', role: 'admin' };
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
  await resetDatabase();
  await seedHits(1500, new Date(), 60);
  await getPool().query(`UPDATE hit SET process_folder_path = 'C:\\Tor Browser\\Browser' WHERE id % 6 = 0`);
  await getPool().query(
    `UPDATE hit SET triaged_at = first_matched_at + interval '3 hours' WHERE status IN ('benign', 'true_positive')`,
  );
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (requireLogin && auth.username === requireLogin.user && auth.password === requireLogin.pass)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }));
    },
    logger: false,
    onRcptTo(address, session, callback) {
      if (requireLogin && !session.user)
        return callback(Object.assign(new Error('5.7.0 authentication required'), { responseCode: 530 }));
      if (rejectRcpt) return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The figure of a KPI as the e-mail's HTML table shows it. */
function htmlFigure(mail: ParsedMail, key: string): string {
  const row = new RegExp(`<tr data-kpi="${key}"><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>`).exec(String(mail.html));
  if (!row) throw new Error(`no row for ${key}`);
  return row[1].replace(/&amp;/g, '&');
}

describe('report e-mail', () => {
  it('arrives with the subject, recipients, inline PNG charts, a readable PDF and the Trends numbers', async () => {
    const now = new Date();
    const smtp = {
      host: '127.0.0.1',
      port,
      security: 'opportunistic' as const,
      user: null,
      password: null,
      from: null,
      source: 'env' as const,
    };
    const result = await sendReport({
      to: ['boss@example.test', 'ciso@example.test'],
      days: 7,
      now,
      smtp,
      trigger: 'manual',
    });
    expect(result.buildMs + result.sendMs).toBeLessThan(10_000);
    const mail = await simpleParser(received.at(-1)!.raw, { keepCidLinks: true });
    expect(received.at(-1)!.to).toEqual(['boss@example.test', 'ciso@example.test']);
    expect(received.at(-1)!.from).toBe(`torwatch@${os.hostname()}`);
    const trends = await getKpiReport(viewer, parseKpiParams({ period: '7d' }, now));
    const overview = await getKpiReport(viewer, {
      filter: parseHitFilter(new URLSearchParams('range=7d'), now),
      bucket: 'week',
      months: 3,
      zone: 'UTC',
    });
    expect(mail.subject).toBe(
      `TorWatch report, last 7 days: ${formatKpi(trends.kpis.hits.current, 'count')} hits on ${trends.kpis.devices.current} devices`,
    );
    expect(trends.kpis.hits.current).toBeGreaterThan(0);
    for (const key of KPI_KEYS) {
      expect(htmlFigure(mail, key), key).toBe(formatKpi(trends.kpis[key].current, trends.kpis[key].unit));
      expect(overview.kpis[key].current, key).toBe(trends.kpis[key].current);
    }
    // Inline images: image/png parts whose Content-IDs the HTML references.
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(4);
    for (const image of images) {
      expect(image.content.subarray(1, 4).toString()).toBe('PNG');
      expect(image.contentDisposition).toBe('inline');
      expect(String(mail.html)).toContain(`cid:${image.cid}`);
    }
    // The PDF: one page, its text carries the same figures.
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.filename).toMatch(/^torwatch-report-\d{4}-\d{2}-\d{2}\.pdf$/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-report-'));
    writeFileSync(path.join(dir, 'r.pdf'), pdf.content);
    expect(execFileSync('pdfinfo', [path.join(dir, 'r.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('TorWatch report — last 7 days');
    expect(text).toMatch(new RegExp(`Hits\\s+${formatKpi(trends.kpis.hits.current, 'count')}\\s`));
    expect(text).toMatch(new RegExp(`Devices with Tor contact\\s+${trends.kpis.devices.current}\\s`));
    // The delivery log.
    const { rows } = await getPool().query(`SELECT target, details FROM audit_log WHERE action = 'report.sent'`);
    expect(rows.at(-1).target).toBe('boss@example.test, ciso@example.test');
  });

  function cli(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/torwatch.mjs', 'report', ...args], {
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  it('torwatch report send: exit 0 once accepted, 1 with the SMTP error, 2 for a wrong command line', async () => {
    const env = { TORWATCH_SMTP_URL: `smtp://127.0.0.1:${port}`, TORWATCH_OUTBOUND_ALLOW: '127.0.0.1/32' };
    const before = received.length;
    rejectRcpt = false;
    const ok = await cli(['send', '--to', 'a@example.test,b@example.test', '--period', '30d'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^sent "TorWatch report, last 30 days: .*" to a@example.test, b@example.test: 250/);
    expect(received.length).toBe(before + 1);
    const trends = await getKpiReport(viewer, parseKpiParams({ period: '30d' }));
    expect(htmlFigure(await simpleParser(received.at(-1)!.raw), 'hits')).toBe(
      formatKpi(trends.kpis.hits.current, 'count'),
    );

    rejectRcpt = true;
    const refused = await cli(['send', '--to', 'a@example.test'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^torwatch report: SMTP 550: .*mailbox unavailable/);
    rejectRcpt = false;

    const guarded = await cli(['send', '--to', 'a@example.test'], { ...env, TORWATCH_OUTBOUND_ALLOW: '' });
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toMatch(/refused: /);

    const wrong = await cli(['send', '--to', 'not-an-address'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--to: "not-an-address" is not an e-mail address');
  });

  it('the schedule and SMTP settings from the Reports page: password sealed, job sends, failures retried and logged', async () => {
    const saved = process.env.TORWATCH_SMTP_URL;
    delete process.env.TORWATCH_SMTP_URL;
    try {
      await expect(
        saveReportSchedule(admin, { enabled: true, recipients: 'x@', weekday: 1, hour: 8, zone: 'UTC', days: 7 }),
      ).rejects.toThrow(/"x@" is not an e-mail address/);
      await expect(
        saveReportSchedule(admin, {
          enabled: true,
          recipients: 'a@example.test',
          weekday: 1,
          hour: 8,
          zone: 'Mars/Base',
          days: 7,
        }),
      ).rejects.toThrow(/not an IANA time zone/);
      await saveReportSchedule(admin, {
        enabled: true,
        recipients: 'weekly@example.test',
        weekday: '1',
        hour: '8',
        zone: 'Europe/Berlin',
        days: '7',
      });
      expect(await loadReportSchedule()).toEqual({
        enabled: true,
        recipients: ['weekly@example.test'],
        weekday: 1,
        hour: 8,
        zone: 'Europe/Berlin',
        days: 7,
      });
      await saveSmtpSettings(admin, {
        host: '127.0.0.1',
        port: String(port),
        security: 'opportunistic',
        user: 'mailer',
        password: 's3cret-pass',
      });
      const { rows } = await getPool().query(`SELECT ciphertext FROM secret WHERE name = 'smtp:password'`);
      expect(rows[0].ciphertext.toString('latin1')).not.toContain('s3cret-pass');
      const { rows: audits } = await getPool().query(
        `SELECT details::text AS d FROM audit_log WHERE action = 'report.smtp'`,
      );
      expect(audits.at(-1).d).not.toContain('s3cret-pass');
      expect((await loadSmtpConfig())?.password).toBe('s3cret-pass');

      requireLogin = { user: 'mailer', pass: 's3cret-pass' };
      const before = received.length;
      await reportJob();
      expect(received.length).toBe(before + 1);
      expect(received.at(-1)!.to).toEqual(['weekly@example.test']);

      // A refused login throws (pg-boss retries the job with backoff) and is logged in words.
      requireLogin = { user: 'mailer', pass: 'another' };
      await expect(reportJob()).rejects.toThrow(/SMTP 535: .*authentication failed/);
      const log = await listReportDeliveries(admin);
      expect(log[0]).toMatchObject({ action: 'report.failed', target: 'weekly@example.test' });
      expect(log[0].details?.error).toMatch(/SMTP 535/);
      expect(log[1]).toMatchObject({ action: 'report.sent', target: 'weekly@example.test' });
      await expect(listReportDeliveries(viewer)).rejects.toThrow(/admin/);
    } finally {
      requireLogin = null;
      if (saved !== undefined) process.env.TORWATCH_SMTP_URL = saved;
    }
  });
});
