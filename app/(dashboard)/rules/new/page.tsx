import { requirePageRole } from '@/lib/auth/guard';
import { getHitDetail } from '@/lib/queries/getHitDetail';
import { PageHeader } from '@/components/layout/PageHeader';
import { SuppressionRuleForm, type RuleCriterionField } from '@/components/triage/SuppressionRuleForm';

export const metadata = { title: 'New suppression rule' };

/** The rule form, blank or pre-filled from a hit (?hit=<id>): "suppress hits like this". */
export default async function NewRulePage({
  searchParams,
}: {
  searchParams: Promise<{ hit?: string; returnTo?: string }>;
}) {
  const actor = await requirePageRole('analyst');
  const { hit: hitId, returnTo } = await searchParams;
  const detail = hitId && /^\d{1,19}$/.test(hitId) ? await getHitDetail(actor, hitId) : null;
  const hit = detail?.hit;
  // From a hit, "like this" defaults to the same process on the same device; the rest is offered, unticked.
  const fields: RuleCriterionField[] = [
    {
      name: 'deviceId',
      label: 'Device',
      value: hit?.deviceId ?? '',
      checked: Boolean(hit),
      hint: hit?.deviceName ? `${hit.deviceName}` : undefined,
    },
    {
      name: 'processFileName',
      label: 'Process file name',
      value: hit?.processFileName ?? '',
      checked: Boolean(hit?.processFileName),
      hint: 'compared case-insensitively',
    },
    { name: 'processFolderPath', label: 'Process folder path', value: hit?.processFolderPath ?? '', checked: false },
    { name: 'processSha256', label: 'Process SHA-256', value: hit?.processSha256 ?? '', checked: false },
    {
      name: 'relayIp',
      label: 'Relay address',
      value: hit?.remoteIp ?? '',
      checked: false,
      hint: 'an address or a network, e.g. 198.51.100.0/24',
    },
    { name: 'relayFingerprint', label: 'Relay fingerprint', value: hit?.relayFingerprints[0] ?? '', checked: false },
    { name: 'actionType', label: 'Action type', value: hit?.actionType ?? '', checked: false },
    {
      name: 'direction',
      label: 'Direction',
      value: hit?.direction ?? '',
      checked: false,
      hint: 'outbound, inbound, listening or unknown',
    },
  ];
  const back = returnTo?.startsWith('/hits') ? returnTo : hit ? '/hits' : '/rules';
  return (
    <>
      <PageHeader title={hit ? 'Suppress hits like this' : 'New suppression rule'} />
      <SuppressionRuleForm
        fields={fields}
        returnTo={back}
        hitLabel={
          hit
            ? `hit #${hit.id} (${hit.deviceName ?? hit.deviceId}, ${hit.processFileName ?? 'no process'} → ${hit.remoteIp})`
            : undefined
        }
      />
    </>
  );
}
