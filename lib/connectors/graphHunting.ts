import type { Connector, RunTotals } from './types';

export async function pullGraphHunting(connector: Connector, totals: RunTotals): Promise<void> {
  void connector;
  void totals;
  throw new Error('not yet');
}
