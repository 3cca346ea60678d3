import * as z from 'zod';
import { httpRoute } from '#shared/http/route.ts';
import { emailSchema } from '#shared/domain/email.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const customers = makeCustomerStore({ doc, tableName: config.TABLE_NAME });

const querySchema = z.object({
  email: emailSchema,
});

/**
 * `GET /v1/customers?email=` (support, front-office): the customer with that email, matched case-insensitively
 * through the email lookup item (two GetItems, no index needed) → `{"items":[...],"nextCursor":null}`.
 */
export const handler = httpRoute({ route: 'GET /v1/customers', query: querySchema }, async ({ query }) => {
  const customerId = await customers.findCustomerIdByEmail(query.email);
  const customer = customerId ? await customers.getCustomer(customerId) : undefined;
  const items = customer ? [{ customerId: customer.customerId, name: customer.name, email: customer.email }] : [];
  return { status: 200, body: { items, nextCursor: null } };
});
