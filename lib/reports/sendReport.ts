import os from 'node:os';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { loadTrends } from '@/lib/kpis/loadTrends';
import type { KpiBucket, KpiSpan } from '@/lib/kpis/definitions';
import { checkOutboundHost } from '@/lib/net/outbound';
import { renderReport, type ReportContent } from './renderReport';
import { loadSmtpConfig, SmtpConfigError, type SmtpConfig, type SmtpTlsPolicy } from './smtpSettings';

// Builds the report for a period and sends it over SMTP (issue 17): `torwatch report send`, the "Send now" button and
// the schedule all come here. Resolves only once the SMTP server accepted the message; otherwise throws a
// ReportSendError whose message is the SMTP error in words. Each attempt is recorded in the audit log
// (`report.sent` / `report.failed`), which is the delivery log the Reports page shows.

export class ReportSendError extends Error {}

export interface SendReportOptions {
  to: string[];
  days: number; // the period is [now − days × 24 h, now) on the hits' event time
  zone?: string;
  bucket?: KpiBucket;
  months?: KpiSpan;
  now?: Date;
  smtp?: SmtpConfig | null; // default: loadSmtpConfig()
  trigger: 'cli' | 'manual' | 'schedule';
  actor?: Actor | null; // who asked (audit); null = the system
}

export interface SendReportResult {
  messageId: string;
  accepted: string[];
  response: string;
  buildMs: number;
  sendMs: number;
  content: ReportContent;
}

const ADDRESS = /^[^\s@<>,;"']+@[^\s@<>,;"']+$/;

/** "a@x, b@y" → addresses; throws naming the first that is not one. */
export function parseRecipients(text: string, field = '--to'): string[] {
  const list = text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) throw new ReportSendError(`${field}: no recipient`);
  for (const a of list) if (!ADDRESS.test(a)) throw new ReportSendError(`${field}: "${a}" is not an e-mail address`);
  if (list.length > 50) throw new ReportSendError(`${field}: at most 50 recipients`);
  return list;
}

/** "7d" → 7; any 1–366 days. */
export function parsePeriodDays(text: string, field = '--period'): number {
  const m = /^(\d{1,3})d$/.exec(text);
  const days = m ? Number(m[1]) : NaN;
  if (!(days >= 1 && days <= 366)) throw new ReportSendError(`${field}: a number of days such as 7d, 30d or 90d`);
  return days;
}

export function periodLabel(days: number): string {
  return days === 1 ? 'last 24 hours' : `last ${days} days`;
}

/** The KPI report data for [now − days, now) — the same read model and filter as the Trends page. */
export async function buildReport(options: Omit<SendReportOptions, 'to' | 'trigger'>) {
  const now = options.now ?? new Date();
  const days = options.days;
  const preset = ({ 7: '7d', 30: '30d', 90: '90d' } as Record<number, string>)[days];
  const filter = parseHitFilter(
    preset
      ? { range: preset }
      : { range: 'custom', from: new Date(now.getTime() - days * 86_400_000).toISOString(), to: now.toISOString() },
    now,
  );
  // The recipients were chosen by an admin or an operator with the command line; the figures are viewer-level data.
  const actor: Actor = { kind: 'user', id: 'system', label: 'report', role: 'viewer' };
  const params = { filter, bucket: options.bucket ?? 'week', months: options.months ?? 6, zone: options.zone ?? 'UTC' };
  const data = await loadTrends(actor, params);
  return renderReport({ ...data, periodLabel: periodLabel(days), generatedAt: now });
}

/** Node's TLS options for the policy: a CA file adds to the system's roots (Node's `ca` alone would replace them). */
function tlsOptions(host: string, policy: SmtpTlsPolicy | undefined) {
  return {
    ...(isIP(host) ? {} : { servername: host }),
    minVersion: 'TLSv1.2' as const,
    ...(policy?.ca ? { ca: [...rootCertificates, policy.ca] } : {}),
    rejectUnauthorized: policy?.verify ?? true,
  };
}

// OpenSSL's codes for a certificate that does not verify (https://nodejs.org/api/tls.html "X509 certificate error codes").
const CERTIFICATE_ERROR =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/;

function smtpErrorText(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string; cause?: unknown };
  if (e.responseCode && e.response) return `SMTP ${e.responseCode}: ${e.response}`;
  const tlsCode = [e.code, (e.cause as { code?: string } | undefined)?.code].find(
    (c) => c && CERTIFICATE_ERROR.test(c),
  );
  if (tlsCode || /certificate|altnames/i.test(e.message ?? ''))
    return (
      `the SMTP server's TLS certificate was not accepted: ${e.message ?? tlsCode} — trust its CA with ` +
      `TORWATCH_SMTP_CA_FILE (or TORWATCH_SMTP_TLS_VERIFY=off for an internal relay)`
    );
  if (e.code === 'ETIMEDOUT') return `timed out talking to the SMTP server (${e.message})`;
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') return `could not connect to the SMTP server: ${e.message}`;
  if (e.code === 'EAUTH') return `the SMTP server refused the login: ${e.message}`;
  return e.message ?? String(error);
}

export async function sendReport(options: SendReportOptions): Promise<SendReportResult> {
  let smtp: SmtpConfig | null;
  try {
    smtp = options.smtp === undefined ? await loadSmtpConfig() : options.smtp;
  } catch (error) {
    if (error instanceof SmtpConfigError) throw new ReportSendError(error.message);
    throw error;
  }
  if (!smtp) throw new ReportSendError('no SMTP server: set TORWATCH_SMTP_URL or configure SMTP in Settings → Reports');
  const started = Date.now();
  const content = await buildReport(options);
  const buildMs = Date.now() - started;
  const from = smtp.from ?? `torwatch@${os.hostname()}`;
  const target = options.to.join(', ');
  try {
    // The address guard of every outbound connection (lib/net/outbound.ts): the SMTP host is judged like a webhook
    // URL, and the connection goes to the address that was judged; TLS still verifies the host name.
    const { address } = await checkOutboundHost(smtp.host);
    const transport = nodemailer.createTransport({
      host: address,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      name: os.hostname(),
      tls: tlsOptions(smtp.host, smtp.tls),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    const sendStarted = Date.now();
    const info = await transport.sendMail({
      from,
      to: options.to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      attachments: [
        ...content.images.map((i) => ({ filename: i.filename, content: i.png, contentType: 'image/png', cid: i.cid })),
        { filename: content.pdf.filename, content: content.pdf.bytes, contentType: 'application/pdf' },
      ],
    });
    transport.close();
    const sendMs = Date.now() - sendStarted;
    const accepted = (info.accepted ?? []).map(String);
    if (!accepted.length)
      throw Object.assign(new Error('the SMTP server accepted no recipient'), { response: info.response });
    await audit(options.actor ?? null, 'report.sent', target, {
      trigger: options.trigger,
      days: options.days,
      subject: content.subject,
      messageId: info.messageId,
      response: info.response,
      buildMs,
      sendMs,
    });
    return { messageId: info.messageId, accepted, response: info.response, buildMs, sendMs, content };
  } catch (error) {
    const message = smtpErrorText(error);
    await audit(options.actor ?? null, 'report.failed', target, {
      trigger: options.trigger,
      days: options.days,
      error: message,
    });
    throw new ReportSendError(message);
  }
}
