import * as z from 'zod';
import { httpRoute } from '#shared/http/route.ts';
import { pageQuerySchema } from '#shared/data/pagination.ts';
import { INVOICE_STATUSES, invoiceView, makeInvoiceStore } from '#shared/data/invoices.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const invoices = makeInvoiceStore({ doc, tableName: config.TABLE_NAME });

const querySchema = pageQuerySchema.extend({ status: z.enum(INVOICE_STATUSES).default('OPEN') });

/** `GET /v1/invoices?status=` (accounting): invoices in one status (`OPEN` when omitted), earliest due first. */
export const handler = httpRoute({ route: 'GET /v1/invoices', query: querySchema }, async ({ query }) => {
  const page = await invoices.listInvoicesByStatus(query.status, { limit: query.limit, cursor: query.cursor });
  return { status: 200, body: { items: page.items.map(invoiceView), nextCursor: page.nextCursor } };
});
