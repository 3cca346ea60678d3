import * as z from 'zod';
import { httpRoute } from '#shared/http/route.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { invoiceView } from '#shared/http/invoices.ts';
import { INVOICE_STATUSES, makeInvoiceStore } from '#shared/data/invoices.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const invoices = makeInvoiceStore({ doc, tableName: config.TABLE_NAME });

/** `status=OPEN` or a comma list, `status=OPEN,PARTIALLY_PAID`; each status once, in the order given. */
const statusesSchema = z
  .string()
  .default('OPEN')
  .transform((raw) => [...new Set(raw.split(',').map((status) => status.trim()))])
  .pipe(z.array(z.enum(INVOICE_STATUSES)).min(1));

const querySchema = pageQuerySchema.extend({ status: statusesSchema });

/**
 * `GET /v1/invoices?status=` (accounting): invoices in one status (`OPEN` when omitted) or several
 * (`OPEN,PARTIALLY_PAID`: everything that still owes), earliest due first.
 */
export const handler = httpRoute({ route: 'GET /v1/invoices', query: querySchema }, async ({ query }) => {
  const page = await invoices.listInvoicesByStatuses(query.status, { limit: query.limit, cursor: query.cursor });
  return { status: 200, body: { items: page.items.map(invoiceView), nextCursor: page.nextCursor } };
});
