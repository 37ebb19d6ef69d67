import { withTransaction } from '@/lib/db/withTransaction';
import { DEMO_FEED, DEMO_FINGERPRINT_PREFIX } from './demoRelays';
import { DEMO_DEVICE_PREFIX } from './demoTelemetry';

export interface DemoPurgeSummary {
  batches: number;
  events: number;
  hits: number;
  devices: number;
  relayAddresses: number;
}

/** Removes everything the demo loaded, in one transaction; user data (other batches, feeds, devices) stays. */
export async function purgeDemo(): Promise<DemoPurgeSummary> {
  return withTransaction(async (client) => {
    const batches = `SELECT id FROM ingest_batch WHERE via = 'demo'`;
    const hits = await client.query(
      `DELETE FROM hit WHERE event_id IN (SELECT id FROM network_event WHERE batch_id IN (${batches}))`,
    );
    const events = await client.query(`DELETE FROM network_event WHERE batch_id IN (${batches})`);
    await client.query(`DELETE FROM device_info_record WHERE batch_id IN (${batches})`);
    const batchRows = await client.query(`DELETE FROM ingest_batch WHERE via = 'demo'`);
    // Devices only the demo described (prefix demo-) and no remaining event or record mentions.
    const devices = await client.query(
      `
      DELETE FROM device d WHERE d.device_id LIKE $1
        AND NOT EXISTS (SELECT 1 FROM network_event e WHERE e.device_key = d.device_key)
        AND NOT EXISTS (SELECT 1 FROM device_info_record r WHERE r.device_id = d.device_id)`,
      [`${DEMO_DEVICE_PREFIX}%`],
    );
    const addresses = await client.query(`DELETE FROM relay_address WHERE fingerprint LIKE $1`, [
      `${DEMO_FINGERPRINT_PREFIX}%`,
    ]);
    await client.query(`DELETE FROM relay r WHERE r.fingerprint LIKE $1`, [`${DEMO_FINGERPRINT_PREFIX}%`]);
    await client.query(`DELETE FROM relay_feed WHERE name = $1`, [DEMO_FEED]); // its snapshots and entries cascade
    await client.query(`DELETE FROM match_run WHERE trigger = 'demo'`);
    return {
      batches: batchRows.rowCount ?? 0,
      events: events.rowCount ?? 0,
      hits: hits.rowCount ?? 0,
      devices: devices.rowCount ?? 0,
      relayAddresses: addresses.rowCount ?? 0,
    };
  });
}
