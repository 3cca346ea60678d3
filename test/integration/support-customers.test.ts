import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { handler as findCustomers } from '../../functions/support/find-customers.ts';
import { handler as customerTimeline } from '../../functions/support/get-customer-timeline.ts';
import { keys } from '#shared/keys.ts';
import { caseSubmissionSchema } from '#shared/domain/desk.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { testClients, testResources } from '../support/index.ts';
import { call, caseBody, clockAt, deskAt, freshEmail } from './support-fixtures.ts';

function find(email: string | undefined, roles = ['support']) {
  return call(findCustomers, { path: '/v1/customers', roles, query: { email } });
}

function timeline(customerId: string, query: Record<string, string | number | undefined> = {}, roles = ['support']) {
  return call(customerTimeline, { path: `/v1/customers/${customerId}/timeline`, roles, query });
}

/** A customer with an order, then a case, then a payment (as the payments area will write it), a minute apart. */
async function customerWithHistory() {
  const email = freshEmail('timeline');
  const clock = clockAt('2026-11-20T10:00:00.000Z');
  const { doc } = testClients();
  const tableName = testResources().tableName;
  const orders = makeOrderService({ doc, tableName, currency: 'USD', now: () => clock.now });
  const { orderId } = await orders.submitOrder(
    { customer: { name: 'Grace', email }, lines: [{ sku: 'TL-1', quantity: 2 }] },
    { actor: 'front-1', correlationId: 'c' },
  );
  clock.advance(1);
  const { caseId } = await deskAt(clock).submitCase(
    caseSubmissionSchema.parse(caseBody({ customer: { name: 'Grace', email }, orderId, priority: 'urgent' })),
    { actor: 'front-1', correlationId: 'c' },
  );
  const customerId = (await makeCustomerStore({ doc, tableName }).findCustomerIdByEmail(email))!;
  const paidAt = clock.advance(1).toISOString();
  const paymentId = `pay_${customerId}`;
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        pk: `PAYMENT#${paymentId}`,
        sk: 'PAYMENT',
        ...keys.customerRecord.key({ customerId, createdAt: paidAt, type: 'PAYMENT', id: paymentId }),
        entity: 'payment',
        paymentId,
        status: 'APPLIED',
        amountCents: 1500,
        method: 'card',
        invoiceId: 'inv_TL1',
        createdAt: paidAt,
      },
    }),
  );
  return { email, customerId, orderId, caseId, paymentId, paidAt };
}

describe('finding a customer by email', () => {
  it('matches the email case-insensitively and answers the list shape', async () => {
    const { email, customerId } = await customerWithHistory();

    const found = await find(email.toUpperCase());
    const byFrontOffice = await find(`  ${email}  `, ['front-office']);

    expect(found.status).toBe(200);
    expect(found.body).toEqual({ items: [{ customerId, name: 'Grace', email }], nextCursor: null });
    expect(byFrontOffice.body).toEqual(found.body);
  });

  it('answers an empty list for an unknown email, 400 without a valid email, 403 for other roles', async () => {
    const unknown = await find('nobody-here@example.com');
    const missing = await find(undefined);
    const invalid = await find('not-an-email');
    const forbidden = await find('a@example.com', ['inventory']);

    expect(unknown.body).toEqual({ items: [], nextCursor: null });
    expect([missing.status, invalid.status, forbidden.status]).toEqual([400, 400, 403]);
    expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.email']);
  });
});

describe('a customer timeline', () => {
  it('lists orders, cases and payments, newest first, from one query', async () => {
    const { customerId, orderId, caseId, paymentId, paidAt } = await customerWithHistory();

    const answer = await timeline(customerId);

    expect(answer.status).toBe(200);
    expect(answer.body.nextCursor).toBeNull();
    expect(answer.body.items).toEqual([
      {
        type: 'payment',
        id: paymentId,
        createdAt: paidAt,
        status: 'APPLIED',
        amountCents: 1500,
        method: 'card',
        invoiceId: 'inv_TL1',
      },
      {
        type: 'case',
        id: caseId,
        createdAt: '2026-11-20T10:01:00.000Z',
        status: 'NEW',
        category: 'complaint',
        priority: 'urgent',
        subject: 'Parcel arrived damaged',
        orderId,
      },
      { type: 'order', id: orderId, createdAt: '2026-11-20T10:00:00.000Z', status: 'RECEIVED', currency: 'USD' },
    ]);
  });

  it("pages with a signed cursor that no other customer's timeline accepts", async () => {
    const first = await customerWithHistory();
    const second = await customerWithHistory();

    const page1 = await timeline(first.customerId, { limit: 2 });
    const page2 = await timeline(first.customerId, { limit: 2, cursor: page1.body.nextCursor });
    const foreign = await timeline(second.customerId, { limit: 2, cursor: page1.body.nextCursor });

    expect(page1.body.items.map((e: { type: string }) => e.type)).toEqual(['payment', 'case']);
    expect(page2.body.items.map((e: { type: string }) => e.type)).toEqual(['order']);
    expect(foreign.status).toBe(400);
  });

  it('answers 404 for an unknown customer and 403 for front-office', async () => {
    const { customerId } = await customerWithHistory();

    expect((await timeline('cus_UNKNOWN')).status).toBe(404);
    expect((await timeline(customerId, {}, ['front-office'])).status).toBe(403);
  });
});
