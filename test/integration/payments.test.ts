import { beforeEach, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makePaymentStore } from '#shared/data/payments.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { paymentSubmissions, sweepSubmissions } from '#shared/services/ops-sweep.ts';
import { handler as submitOrder } from '../../functions/orders/submit-order.ts';
import { handler as processOrder } from '../../functions/orders/process-order.ts';
import { handler as cancelOrder } from '../../functions/orders/cancel-order.ts';
import { handler as getOrder } from '../../functions/orders/get-order.ts';
import { handler as getInvoice } from '../../functions/accounting/get-invoice.ts';
import { handler as putItem } from '../../functions/inventory/put-item.ts';
import { handler as submitPayment } from '../../functions/accounting/submit-payment.ts';
import { handler as getPayment } from '../../functions/accounting/get-payment.ts';
import { handler as processPayment } from '../../functions/accounting/process-payment.ts';
import { handler as customerTimeline } from '../../functions/support/get-customer-timeline.ts';
import { handler as sweepJob } from '../../functions/ops/sweep-submissions.ts';
import {
  drainQueue,
  eventually,
  invokeProcessor,
  lambdaContext,
  pumpQueue,
  scheduledEvent,
  testClients,
  testQueue,
  testResources,
} from '../support/index.ts';
import {
  accountBalance,
  auditEventsOf,
  call,
  catalogueValue,
  entriesFor,
  itemBody,
  orderBody,
  readOrder,
  uniqueSku,
} from './orders-inventory-fixtures.ts';
import { net, shardTotals } from './money-fixtures.ts';

const FRONT_OFFICE = ['front-office'];
const ACCOUNTING = ['accounting'];

/** A confirmed order for `quantity` units at `unitPriceCents`; returns its order and invoice ids. */
async function confirmedOrder(
  unitPriceCents = 1000,
  quantity = 1,
  email = 'payer@example.com',
): Promise<{ orderId: string; invoiceId: string }> {
  const sku = uniqueSku('PAY');
  expect(
    (
      await call(putItem, {
        method: 'PUT',
        path: `/v1/inventory/items/${sku}`,
        roles: ['inventory'],
        body: itemBody({ unitPriceCents, unitCostCents: 400, onHand: 10 }),
      })
    ).status,
  ).toBe(201);
  const submitted = await call(submitOrder, {
    method: 'POST',
    path: '/v1/orders',
    roles: FRONT_OFFICE,
    body: orderBody([{ sku, quantity }], email),
  });
  await pumpQueue('orders', processOrder);
  const order = await readOrder(submitted.body.orderId);
  expect(order?.status).toBe('CONFIRMED');
  return { orderId: order!.orderId, invoiceId: order!.invoiceId! };
}

const pay = (body: unknown, options: { roles?: string[]; headers?: Record<string, string> } = {}) =>
  call(submitPayment, {
    method: 'POST',
    path: '/v1/payments',
    roles: options.roles ?? FRONT_OFFICE,
    body,
    ...(options.headers ? { headers: options.headers } : {}),
  });
const readPayment = (paymentId: string) => call(getPayment, { path: `/v1/payments/${paymentId}`, roles: ACCOUNTING });
const readInvoice = (invoiceId: string) => call(getInvoice, { path: `/v1/invoices/${invoiceId}`, roles: ACCOUNTING });
const received = (paymentId: string) => ({
  type: 'payment.received',
  id: paymentId,
  correlationId: `corr-${paymentId}`,
  sentAt: new Date().toISOString(),
});

beforeEach(async () => {
  await drainQueue('orders');
  await drainQueue('payments');
});

describe('payment intake', () => {
  it('writes the payment RECEIVED, queues it and answers 202 with its id, status and Location', async () => {
    const { invoiceId } = await confirmedOrder(1000);

    const answer = await pay({ invoiceId, amountCents: 400, method: 'card', reference: 'POS 7', extra: 'dropped' });
    const queued = await drainQueue<{ type: string; id: string; correlationId: string }>('payments');
    const stored = await makePaymentStore({ doc: testClients().doc, tableName: testResources().tableName }).getPayment(
      answer.body.paymentId,
    );

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ paymentId: expect.stringMatching(/^pay_/), status: 'RECEIVED' });
    expect(answer.headers.location).toBe(`/v1/payments/${answer.body.paymentId}`);
    expect(queued).toEqual([expect.objectContaining({ type: 'payment.received', id: answer.body.paymentId })]);
    expect(stored).toMatchObject({
      status: 'RECEIVED',
      amountCents: 400,
      method: 'card',
      reference: 'POS 7',
      currency: 'USD',
    });
    expect(stored).not.toHaveProperty('extra');
    expect((await auditEventsOf(answer.body.paymentId)).map((e) => [e.action, e.status])).toEqual([
      ['payment.received', 'RECEIVED'],
    ]);
  });

  it('refuses at once an unknown invoice (404), a VOID one and an overpayment (409), writing nothing', async () => {
    const { orderId, invoiceId } = await confirmedOrder(1000);

    const unknown = await pay({ invoiceId: 'inv_NOPE', amountCents: 1, method: 'cash' });
    const overpay = await pay({ invoiceId, amountCents: 1001, method: 'cash' });
    await call(cancelOrder, { method: 'POST', path: `/v1/orders/${orderId}/cancel`, roles: FRONT_OFFICE });
    const onVoid = await pay({ invoiceId, amountCents: 1, method: 'cash' });

    expect(unknown.status).toBe(404);
    expect(overpay.status).toBe(409);
    expect(overpay.body.detail).toMatch(/overpay/);
    expect(onVoid.status).toBe(409);
    expect(onVoid.body.detail).toMatch(/VOID/);
    expect(await drainQueue('payments')).toEqual([]);
  });

  it('lists every bad field in a 400 and writes nothing', async () => {
    const answer = await pay({ invoiceId: '', amountCents: 0, method: 'cheque', reference: 'x'.repeat(201) });

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'amountCents',
      'invoiceId',
      'method',
      'reference',
    ]);
    expect((await pay({ invoiceId: 'inv_x', amountCents: 1.5, method: 'card' })).status).toBe(400);
    expect(await drainQueue('payments')).toEqual([]);
  });

  it('replays the first answer for the same Idempotency-Key, and creates one payment', async () => {
    const { invoiceId } = await confirmedOrder(1000);
    const headers = { 'idempotency-key': 'pay-once-1' };

    const first = await pay({ invoiceId, amountCents: 100, method: 'card' }, { headers });
    const again = await pay({ invoiceId, amountCents: 100, method: 'card' }, { headers });
    const different = await pay({ invoiceId, amountCents: 200, method: 'card' }, { headers });

    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(different.status).toBe(422);
    expect(await drainQueue('payments')).toHaveLength(1);
  });

  it('lets front-office and accounting record payments and refuses other roles', async () => {
    expect((await pay({ invoiceId: 'inv_x', amountCents: 1, method: 'card' }, { roles: ['support'] })).status).toBe(
      403,
    );
    expect((await pay({ invoiceId: 'inv_x', amountCents: 1, method: 'card' }, { roles: ACCOUNTING })).status).toBe(404);
    expect((await call(getPayment, { path: '/v1/payments/pay_x', roles: ['inventory'] })).status).toBe(403);
    expect((await call(getPayment, { path: '/v1/payments/pay_x', roles: FRONT_OFFICE })).status).toBe(404);
  });

  it("shows the payment in the customer's timeline", async () => {
    const email = `timeline-${Date.now()}@example.com`;
    const { invoiceId } = await confirmedOrder(1000, 1, email);

    const { body } = await pay({ invoiceId, amountCents: 250, method: 'bank_transfer' });
    const customerId = (await makeCustomerStore({
      doc: testClients().doc,
      tableName: testResources().tableName,
    }).findCustomerIdByEmail(email))!;
    const records = await makeCustomerStore({
      doc: testClients().doc,
      tableName: testResources().tableName,
    }).listCustomerRecords(customerId, { limit: 10 });

    expect(records.items[0]).toMatchObject({
      entity: 'payment',
      paymentId: body.paymentId,
      amountCents: 250,
      status: 'RECEIVED',
    });
  });

  it(
    'shows payments submitted and processed through the payments handlers ' +
      'in GET /v1/customers/{customerId}/timeline, newest first, as they now stand',
    async () => {
      const email = `timeline-route-${Date.now()}@example.com`;
      const { orderId, invoiceId } = await confirmedOrder(1000, 1, email);
      const customerId = (await makeCustomerStore({
        doc: testClients().doc,
        tableName: testResources().tableName,
      }).findCustomerIdByEmail(email))!;

      const part = await pay({ invoiceId, amountCents: 600, method: 'card' });
      await pumpQueue('payments', processPayment);
      const afterPart = await call(customerTimeline, {
        path: `/v1/customers/${customerId}/timeline`,
        roles: ['support'],
      });
      const rest = await pay({ invoiceId, amountCents: 400, method: 'bank_transfer' }, { roles: ACCOUNTING });
      const beforeProcessing = await call(customerTimeline, {
        path: `/v1/customers/${customerId}/timeline`,
        roles: ['support'],
      });
      await pumpQueue('payments', processPayment);
      const answer = await call(customerTimeline, { path: `/v1/customers/${customerId}/timeline`, roles: ['support'] });

      expect(afterPart.body.items.map((e: { type: string; status: string }) => `${e.type}:${e.status}`)).toEqual([
        'payment:APPLIED',
        'order:CONFIRMED',
      ]);
      expect(beforeProcessing.body.items[0]).toMatchObject({
        type: 'payment',
        id: rest.body.paymentId,
        status: 'RECEIVED',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.nextCursor).toBeNull();
      expect(answer.body.items).toEqual([
        {
          type: 'payment',
          id: rest.body.paymentId,
          createdAt: expect.any(String),
          status: 'APPLIED',
          invoiceId,
          orderId,
          amountCents: 400,
          currency: 'USD',
          method: 'bank_transfer',
        },
        {
          type: 'payment',
          id: part.body.paymentId,
          createdAt: expect.any(String),
          status: 'APPLIED',
          invoiceId,
          orderId,
          amountCents: 600,
          currency: 'USD',
          method: 'card',
        },
        {
          type: 'order',
          id: orderId,
          createdAt: expect.any(String),
          status: 'PAID',
          invoiceId,
          totalCents: 1000,
          currency: 'USD',
        },
      ]);
      expect(answer.body.items[0].createdAt > answer.body.items[1].createdAt).toBe(true);
      expect((await readInvoice(invoiceId)).body).toMatchObject({ status: 'PAID', paidCents: 1000 });
    },
  );
});

describe('payment processing', () => {
  it(
    'applies a part payment: invoice PARTIALLY_PAID, Dr 1000 / Cr 1100, payment APPLIED, ' + 'order still CONFIRMED',
    async () => {
      const { orderId, invoiceId } = await confirmedOrder(1000);
      const before = await shardTotals();

      const { body } = await pay({ invoiceId, amountCents: 300, method: 'cash' });
      await pumpQueue('payments', processPayment);

      expect((await readPayment(body.paymentId)).body).toMatchObject({
        paymentId: body.paymentId,
        invoiceId,
        amountCents: 300,
        method: 'cash',
        status: 'APPLIED',
        currency: 'USD',
      });
      expect((await readInvoice(invoiceId)).body).toMatchObject({
        status: 'PARTIALLY_PAID',
        paidCents: 300,
        totalCents: 1000,
      });
      expect((await readOrder(orderId))?.status).toBe('CONFIRMED');
      const [entry] = await entriesFor(body.paymentId);
      expect(entry).toMatchObject({ source: { type: 'payment', id: body.paymentId } });
      expect(entry?.lines).toEqual([
        { account: '1000', debitCents: 300, creditCents: 0 },
        { account: '1100', debitCents: 0, creditCents: 300 },
      ]);
      const after = await shardTotals();
      expect(net(after, '1000') - net(before, '1000')).toBe(300);
      expect(net(after, '1100') - net(before, '1100')).toBe(-300);
      expect((await auditEventsOf(body.paymentId)).map((e) => e.action)).toEqual([
        'payment.received',
        'payment.applied',
      ]);
      expect((await auditEventsOf(invoiceId)).map((e) => e.action)).toEqual([
        'invoice.issued',
        'invoice.partiallyPaid',
      ]);
    },
  );

  it(
    'pays the invoice in full: invoice PAID (moved in the status index), order PAID, ' +
      'and a redelivery changes nothing',
    async () => {
      const { orderId, invoiceId } = await confirmedOrder(1000);
      const invoices = makeInvoiceStore({ doc: testClients().doc, tableName: testResources().tableName });

      const first = await pay({ invoiceId, amountCents: 600, method: 'card' });
      const second = await pay({ invoiceId, amountCents: 400, method: 'card' });
      await pumpQueue('payments', processPayment);
      await invokeProcessor(processPayment, [received(second.body.paymentId)], 'payments');

      expect((await readInvoice(invoiceId)).body).toMatchObject({ status: 'PAID', paidCents: 1000 });
      expect((await call(getOrder, { path: `/v1/orders/${orderId}`, roles: FRONT_OFFICE })).body.status).toBe('PAID');
      expect((await readPayment(first.body.paymentId)).body.status).toBe('APPLIED');
      expect((await readPayment(second.body.paymentId)).body.status).toBe('APPLIED');
      expect(await entriesFor(second.body.paymentId)).toHaveLength(1);
      expect(
        (await invoices.byStatus.page({ status: 'PAID' }, { limit: 200 })).items.map((i) => i.invoiceId),
      ).toContain(invoiceId);
      expect(
        (await invoices.byStatus.page({ status: 'PARTIALLY_PAID' }, { limit: 200 })).items.map((i) => i.invoiceId),
      ).not.toContain(invoiceId);
      expect((await auditEventsOf(orderId)).map((e) => e.action)).toEqual([
        'order.submitted',
        'order.confirmed',
        'order.paid',
      ]);
    },
  );

  it('of two payments that overpay only in sum, applies one and rejects the other, whatever the order', async () => {
    for (let round = 0; round < 5; round++) {
      const { invoiceId } = await confirmedOrder(1000);
      const a = await pay({ invoiceId, amountCents: 700, method: 'card' });
      const b = await pay({ invoiceId, amountCents: 500, method: 'card' });

      await Promise.all([
        invokeProcessor(processPayment, [received(a.body.paymentId)], 'payments'),
        invokeProcessor(processPayment, [received(b.body.paymentId)], 'payments'),
      ]);
      const statuses = [(await readPayment(a.body.paymentId)).body, (await readPayment(b.body.paymentId)).body];

      expect(statuses.map((p) => p.status).sort()).toEqual(['APPLIED', 'REJECTED']);
      const applied = statuses.find((p) => p.status === 'APPLIED')!;
      expect(statuses.find((p) => p.status === 'REJECTED')).toMatchObject({ rejectionReason: 'would_overpay' });
      expect((await readInvoice(invoiceId)).body).toMatchObject({
        status: 'PARTIALLY_PAID',
        paidCents: applied.amountCents,
      });
      expect(await entriesFor(statuses.find((p) => p.status === 'REJECTED')!.paymentId)).toEqual([]);
    }
    await drainQueue('payments');
  });

  it('rejects a payment whose invoice was voided after intake, posting nothing', async () => {
    const { orderId, invoiceId } = await confirmedOrder(1000);
    const { body } = await pay({ invoiceId, amountCents: 100, method: 'card' });

    await call(cancelOrder, { method: 'POST', path: `/v1/orders/${orderId}/cancel`, roles: FRONT_OFFICE });
    await pumpQueue('payments', processPayment);

    expect((await readPayment(body.paymentId)).body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'invoice_void',
    });
    expect(await entriesFor(body.paymentId)).toEqual([]);
    expect((await auditEventsOf(body.paymentId)).map((e) => [e.action, e.status])).toEqual([
      ['payment.received', 'RECEIVED'],
      ['payment.rejected', 'REJECTED'],
    ]);
  });

  it('keeps the books: 1100 falls by what was applied and 1200 still equals the stock on hand', async () => {
    const { invoiceId } = await confirmedOrder(1234);
    const before = await accountBalance('1100');

    await pay({ invoiceId, amountCents: 1234, method: 'cash' });
    await pumpQueue('payments', processPayment);

    expect(await accountBalance('1100')).toBe(before - 1234);
    expect(await accountBalance('1200')).toBe(await catalogueValue());
  });
});

describe('payments and the submission sweeper', () => {
  it('re-queues a payment still RECEIVED after 5 minutes, and the processor then applies it', async () => {
    const { invoiceId } = await confirmedOrder(1000);
    const { body } = await pay({ invoiceId, amountCents: 100, method: 'card' });
    await drainQueue('payments'); // the intake message is "lost"
    const { doc, sqs } = testClients();

    const early = await sweepSubmissions({
      doc,
      sqs,
      tableName: testResources().tableName,
      queueUrl: testQueue('orders').url,
      now: () => new Date(Date.now() + 60_000),
      submissions: [paymentSubmissions(testQueue('payments').url)],
    });
    const late = await sweepSubmissions({
      doc,
      sqs,
      tableName: testResources().tableName,
      queueUrl: testQueue('orders').url,
      now: () => new Date(Date.now() + 6 * 60_000),
      submissions: [paymentSubmissions(testQueue('payments').url)],
    });
    await eventually(async () => (await pumpQueue('payments', processPayment)).length > 0);

    expect(early.requeuedByKind.payment).toEqual([]);
    expect(late.requeuedByKind.payment).toContain(body.paymentId);
    expect((await readPayment(body.paymentId)).body.status).toBe('APPLIED');
  });

  it(
    'the sweep-submissions job, at its scheduled time 5 minutes on, ' +
      're-queues a stuck payment that is then applied once',
    async () => {
      const { invoiceId } = await confirmedOrder(1000);
      const { body } = await pay({ invoiceId, amountCents: 300, method: 'cash' });
      await drainQueue('payments'); // the intake message is "lost"
      const at = (minutes: number) => scheduledEvent({}, new Date(Date.now() + minutes * 60_000));

      await sweepJob(at(1), lambdaContext('sweep-submissions'));
      expect(await drainQueue('payments')).toEqual([]);
      await sweepJob(at(6), lambdaContext('sweep-submissions'));
      await sweepJob(at(11), lambdaContext('sweep-submissions'));
      await eventually(async () => (await pumpQueue('payments', processPayment)).length > 0);
      await pumpQueue('payments', processPayment);

      expect((await readPayment(body.paymentId)).body.status).toBe('APPLIED');
      expect((await call(getInvoice, { path: `/v1/invoices/${invoiceId}`, roles: ['accounting'] })).body).toMatchObject(
        {
          status: 'PARTIALLY_PAID',
          paidCents: 300,
        },
      );
      expect(await entriesFor(body.paymentId)).toHaveLength(1);
    },
  );

  it('finds a stuck payment by its status index entry alone', async () => {
    const createdAt = new Date(Date.now() - 10 * 60_000).toISOString();
    await testClients().doc.send(
      new PutCommand({
        TableName: testResources().tableName,
        Item: {
          ...keys.payment.key({ paymentId: 'pay_stuck' }),
          ...keys.paymentByStatus.key({ status: 'RECEIVED', createdAt, paymentId: 'pay_stuck' }),
          entity: 'payment',
          status: 'RECEIVED',
          correlationId: 'req-9',
          createdAt,
        },
      }),
    );
    const { doc, sqs } = testClients();

    const result = await sweepSubmissions({
      doc,
      sqs,
      tableName: testResources().tableName,
      queueUrl: testQueue('orders').url,
      now: () => new Date(),
      submissions: [paymentSubmissions(testQueue('payments').url)],
    });
    const messages = await eventually(async () => {
      const found = await drainQueue<{ id: string; correlationId: string; type: string }>('payments');
      return found.length > 0 ? found : undefined;
    });

    expect(result.requeuedByKind.payment).toContain('pay_stuck');
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'payment.received', id: 'pay_stuck', correlationId: 'req-9' }),
    );
  });
});
