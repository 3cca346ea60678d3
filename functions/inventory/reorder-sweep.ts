import type { Context } from 'aws-lambda';
import { systemActor } from '#shared/data/audit.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';
import { logger, metrics, MetricUnit } from '#shared/platform/observability.ts';

const config = loadConfig();
const inventory = makeInventoryService({ doc, tableName: config.TABLE_NAME });
const actor = systemActor('reorder-sweep');

/**
 * Schedule `reorder-sweep` (nightly): every item in the low-stock index without an open purchase order gets one,
 * exactly once however often it runs. Catches the purchase orders a crash after a confirmation left unopened.
 */
export async function handler(_event: unknown, context?: Context): Promise<{ opened: string[] }> {
  if (context) logger.addContext(context);
  try {
    const opened = await inventory.sweepReorders(actor);
    metrics.addMetric('PurchaseOrdersOpenedBySweep', MetricUnit.Count, opened.length);
    logger.info('reorder sweep finished', { opened: opened.map((po) => po.purchaseOrderId) });
    return { opened: opened.map((po) => po.purchaseOrderId) };
  } finally {
    metrics.publishStoredMetrics();
  }
}
