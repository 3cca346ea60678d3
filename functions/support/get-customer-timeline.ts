import * as z from 'zod';
import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { timelineEntryView } from '#shared/http/customers.ts';
import { pageQuerySchema } from '#shared/http/paging.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const customers = makeCustomerStore({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/customers/{customerId}/timeline` (support): the customer's orders, cases, payments and appointments,
 * newest first, one page of one Query on the customer's timeline partition (gsi2).
 */
export const handler = httpRoute(
  {
    route: 'GET /v1/customers/{customerId}/timeline',
    params: z.object({ customerId: z.string().min(1).max(64) }),
    query: pageQuerySchema,
  },
  async ({ params, query }) => {
    const [customer, page] = await Promise.all([
      customers.getCustomer(params.customerId),
      customers.listCustomerRecords(params.customerId, query),
    ]);
    if (!customer) throw new NotFoundError(`Customer ${params.customerId} was not found.`);
    return { status: 200, body: { items: page.items.map(timelineEntryView), nextCursor: page.nextCursor } };
  },
);
