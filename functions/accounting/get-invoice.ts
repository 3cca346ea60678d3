import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { invoicePathSchema, invoiceView } from '#shared/http/invoices.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const invoices = makeInvoiceStore({ doc, tableName: config.TABLE_NAME });

/** `GET /v1/invoices/{invoiceId}`: an invoice with its status, total and what has been paid. */
export const handler = httpRoute(
  { route: 'GET /v1/invoices/{invoiceId}', params: invoicePathSchema },
  async ({ params }) => {
    const invoice = await invoices.getInvoice(params.invoiceId);
    if (!invoice) throw new NotFoundError(`Invoice ${params.invoiceId} was not found.`);
    return { status: 200, body: invoiceView(invoice) };
  },
);
