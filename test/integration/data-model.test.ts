import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf, keys } from '#shared/keys.ts';
import { claimIdempotencyKey } from '#shared/http/idempotency.ts';
import { makeOrderStore, type Order } from '#shared/data/orders.ts';
import { makeCustomerStore } from '#shared/data/customers.ts';
import { makeItemStore } from '#shared/data/items.ts';
import { makePurchaseOrderStore, type PurchaseOrder } from '#shared/data/purchase-orders.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { transactWrite } from '#shared/data/transact.ts';
import { makeOrderService } from '#shared/services/orders.ts';
import { makeInventoryService } from '#shared/services/inventory.ts';
import { makeReportService } from '#shared/services/reports.ts';
import { makeReportStore } from '#shared/data/reports.ts';
import { addDays } from '#shared/reports/period.ts';
import { DEFAULT_SLA_POLICY, caseSubmissionSchema, ticketSubmissionSchema } from '#shared/domain/desk.ts';
import { countBookedAppointmentsOfDay, countOpenDeskWork, countOpenOnboardings } from '#shared/data/ops-summary.ts';
import { queryAll } from '#shared/data/query.ts';
import { makeDeskStore } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { makeLedgerStore } from '#shared/data/ledger.ts';
import { makePaymentService } from '#shared/services/payments.ts';
import { makePaymentStore } from '#shared/data/payments.ts';
import { makeEmployeeStore } from '#shared/data/employees.ts';
import { makeHrService } from '#shared/services/hr.ts';
import { hireSchema } from '#shared/domain/hr.ts';
import { TransactionConditionError } from '#shared/data/transact.ts';
import { makeAppointmentStore } from '#shared/data/appointments.ts';
import { makeAppointmentService } from '#shared/services/appointments.ts';
import { bookingSchema } from '#shared/domain/appointments.ts';
import { makePayrollService } from '#shared/services/payroll.ts';
import { makePayrollStore } from '#shared/data/payroll.ts';
import { makeDocumentStore } from '#shared/data/documents.ts';
import { makeObjectStore } from '#shared/data/objects.ts';
import { makeDocumentService } from '#shared/services/documents.ts';
import { s3 as s3Client } from '#shared/platform/clients.ts';
import { expiryCutoff } from '#shared/domain/documents.ts';
import { newId } from '#shared/ids.ts';
import { testClients, testResources } from '../support/index.ts';

/**
 * One test per row of the access-pattern table in docs/data-model.md ("Orders, inventory and accounting records"),
 * named exactly as the row. Data is written by the modules that own it (the order and inventory use cases), and read
 * back through the named query of each pattern.
 */

const doc = testClients().doc;
const tableName = testResources().tableName;
const stores = {
  orders: makeOrderStore({ doc, tableName }),
  customers: makeCustomerStore({ doc, tableName }),
  items: makeItemStore({ doc, tableName }),
  purchaseOrders: makePurchaseOrderStore({ doc, tableName }),
  invoices: makeInvoiceStore({ doc, tableName }),
  journal: makeJournal({ doc, tableName }),
  audit: makeAuditLog({ doc, tableName }),
};
const orderService = makeOrderService({ doc, tableName, currency: 'USD' });
const inventory = makeInventoryService({ doc, tableName });
const page = { limit: 50 };
const today = () => dayOf(new Date().toISOString());

const EMAIL = 'grace@example.com';
let confirmed: Order;
let backordered: Order;
let purchaseOrder: PurchaseOrder;

beforeAll(async () => {
  await inventory.putItem(
    'DM-PLENTY',
    { name: 'Plenty', unitPriceCents: 500, unitCostCents: 200, reorderPoint: 2, reorderQuantity: 10, onHand: 3 },
    'tester',
  );
  await inventory.putItem(
    'DM-NONE',
    { name: 'None', unitPriceCents: 900, unitCostCents: 400, reorderPoint: 0, reorderQuantity: 5, onHand: 0 },
    'tester',
  );
  await inventory.putItem(
    'DM-AMPLE',
    { name: 'Ample', unitPriceCents: 100, unitCostCents: 50, reorderPoint: 1, reorderQuantity: 5, onHand: 100 },
    'tester',
  );
  const customer = { name: 'Grace Hopper', email: EMAIL };
  const first = await orderService.submitOrder(
    { customer, lines: [{ sku: 'DM-PLENTY', quantity: 1 }] },
    { actor: 'tester', correlationId: 'c1' },
  );
  const second = await orderService.submitOrder(
    { customer, lines: [{ sku: 'DM-NONE', quantity: 1 }] },
    { actor: 'tester', correlationId: 'c2' },
  );
  await orderService.processOrder(first.orderId, 'system:test');
  await orderService.processOrder(second.orderId, 'system:test');
  confirmed = (await stores.orders.getOrder(first.orderId))!;
  backordered = (await stores.orders.getOrder(second.orderId))!;
  purchaseOrder = (await stores.purchaseOrders.byStatus.page({ status: 'OPEN' }, page)).items.find(
    (po) => po.sku === 'DM-PLENTY',
  )!;
});

const rows: Record<string, () => Promise<void>> = {
  'Get an order by id': async () => {
    const order = await stores.orders.getOrder(confirmed.orderId);

    expect(order).toMatchObject({ entity: 'order', orderId: confirmed.orderId, status: 'CONFIRMED' });
  },

  'Orders in a status, oldest first': async () => {
    const third = await orderService.submitOrder(
      { customer: { name: 'Grace Hopper', email: EMAIL }, lines: [{ sku: 'DM-NONE', quantity: 2 }] },
      { actor: 'tester', correlationId: 'c3' },
    );
    await orderService.processOrder(third.orderId, 'system:test');

    const found = await stores.orders.byStatus.page({ status: 'BACKORDERED' }, page);

    expect(found.items.map((order) => order.orderId)).toEqual([backordered.orderId, third.orderId]);
  },

  'Orders submitted on a UTC day': async () => {
    const found = await stores.orders.byDay.page({ day: dayOf(confirmed.createdAt) }, page);

    expect(found.items.map((order) => order.orderId)).toEqual(
      expect.arrayContaining([confirmed.orderId, backordered.orderId]),
    );
    expect(found.items.every((order) => dayOf(order.createdAt) === dayOf(confirmed.createdAt))).toBe(true);
  },

  "A customer's records, newest first": async () => {
    const found = await stores.customers.listCustomerRecords(confirmed.customerId, page);

    const orderIds = found.items.map((record) => record.orderId);
    expect(orderIds.indexOf(backordered.orderId)).toBeLessThan(orderIds.indexOf(confirmed.orderId));
    expect(found.items.every((record) => record.entity === 'order')).toBe(true);
  },

  'Customer id by email': async () => {
    const customerId = await stores.customers.findCustomerIdByEmail(EMAIL);

    expect(customerId).toBe(confirmed.customerId);
    expect(backordered.customerId).toBe(customerId);
  },

  'Get a customer profile': async () => {
    const customer = await stores.customers.getCustomer(confirmed.customerId);

    expect(customer).toMatchObject({ entity: 'customer', name: 'Grace Hopper', email: EMAIL });
  },

  "Get one item, or the items of an order's lines": async () => {
    const one = await stores.items.getItem('DM-PLENTY');
    const several = await stores.items.getItems(['DM-PLENTY', 'DM-NONE', 'DM-GHOST']);

    expect(one).toMatchObject({ entity: 'item', onHand: 2 });
    expect([...several.keys()].sort()).toEqual(['DM-NONE', 'DM-PLENTY']);
  },

  'The catalogue, by SKU': async () => {
    const found = await stores.items.catalogue.page({}, page);

    expect(found.items.map((item) => item.sku)).toEqual(['DM-AMPLE', 'DM-NONE', 'DM-PLENTY']);
  },

  'Items at or below their reorder point, by SKU': async () => {
    const found = await stores.items.lowStock.page({}, page);

    // DM-AMPLE (100 on hand, reorder point 1) is not in the sparse index at all.
    expect(found.items.map((item) => item.sku)).toEqual(['DM-NONE', 'DM-PLENTY']);
  },

  'Get a purchase order': async () => {
    const po = await stores.purchaseOrders.getPurchaseOrder(purchaseOrder.purchaseOrderId);

    expect(po).toMatchObject({ entity: 'purchaseOrder', sku: 'DM-PLENTY', quantity: 10, status: 'OPEN' });
  },

  'Purchase orders in a status, oldest first': async () => {
    const found = await stores.purchaseOrders.byStatus.page({ status: 'OPEN' }, page);

    expect(found.items.map((po) => po.sku).sort()).toEqual(['DM-NONE', 'DM-PLENTY']);
    expect(found.items.map((po) => po.createdAt)).toEqual(found.items.map((po) => po.createdAt).sort());
  },

  'Get an invoice': async () => {
    const invoice = await stores.invoices.getInvoice(confirmed.invoiceId!);

    expect(invoice).toMatchObject({ entity: 'invoice', orderId: confirmed.orderId, status: 'OPEN', totalCents: 500 });
  },

  'Invoices in a status, earliest due first': async () => {
    const found = await stores.invoices.byStatus.page({ status: 'OPEN' }, page);

    expect(found.items.map((invoice) => invoice.invoiceId)).toEqual([confirmed.invoiceId]);
  },

  'Get a journal entry': async () => {
    const [sale] = (await stores.journal.byDay.page({ day: dayOf(confirmed.updatedAt) }, page)).items.filter(
      (entry) => entry.source.id === confirmed.orderId,
    );

    const entry = await stores.journal.getJournalEntry(sale!.entryId);

    expect(entry).toMatchObject({ entity: 'journalEntry', source: { type: 'order', id: confirmed.orderId } });
  },

  'Journal entries posted on a UTC day, in posting order': async () => {
    const found = await stores.journal.byDay.page({ day: today() }, page);

    expect(found.items.map((entry) => entry.source.type)).toEqual(['item', 'item', 'order']);
    expect(found.items.map((entry) => entry.postedAt)).toEqual(found.items.map((entry) => entry.postedAt).sort());
  },

  "An entity's audit events, oldest first": async () => {
    const found = await stores.audit.byEntity.page({ entityId: confirmed.orderId }, page);

    expect(found.items.map((event) => event.action)).toEqual(['order.submitted', 'order.confirmed']);
  },

  'The remembered answer of an Idempotency-Key': async () => {
    const claim = claimIdempotencyKey(doc, tableName, {
      sub: 'clerk',
      routeKey: 'POST /v1/orders',
      key: 'k-1',
      body: '{}',
    });
    await transactWrite(doc, [claim.record({ statusCode: 202, headers: {}, body: '{"orderId":"x"}' })]);

    const replayed = await claimIdempotencyKey(doc, tableName, {
      sub: 'clerk',
      routeKey: 'POST /v1/orders',
      key: 'k-1',
      body: '{}',
    }).replay();
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: claim.recordKey }));

    expect(replayed).toMatchObject({ statusCode: 202, body: '{"orderId":"x"}' });
    expect(claim.recordKey.pk.startsWith(keys.idempotency.partition({ hash: '' }))).toBe(true);
    expect(Item).toMatchObject({ entity: 'idempotency', expiresAt: expect.any(Number) });
  },

  "An actor's audit events in a window, oldest first": async () => {
    const from = confirmed.createdAt;
    const to = new Date().toISOString();
    const found = await stores.audit.byActorInWindow('system:test', from, to, page);
    const before = await stores.audit.byActorInWindow('system:test', '2000-01-01T00:00:00.000Z', from, page);

    expect(found.items.map((event) => [event.entityId, event.action])).toEqual(
      expect.arrayContaining([
        [confirmed.orderId, 'order.confirmed'],
        [backordered.orderId, 'order.backordered'],
      ]),
    );
    expect(found.items.every((event) => event.actor === 'system:test' && event.at >= from && event.at <= to)).toBe(
      true,
    );
    expect(found.items.map((event) => event.at)).toEqual(found.items.map((event) => event.at).sort());
    expect(before.items).toEqual([]);
  },
};

describe('access patterns of orders, inventory and accounting records', () => {
  for (const [pattern, test] of Object.entries(rows)) it(pattern, test);

  it('has a test for every row of the table in docs/data-model.md, and a row for every test', () => {
    const doc = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = doc.split('## Orders, inventory and accounting records')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());

    expect(documented).toEqual(Object.keys(rows));
  });
});

/** Every value an async generator yields. */
async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const value of source) found.push(value);
  return found;
}

/** One test per row of the "Reports" access-pattern table in docs/data-model.md, on the data written above. */
const reportRows: Record<string, () => Promise<void>> = {
  'A report of one type and period': async () => {
    const { report } = await makeReportService({ doc, tableName, currency: 'USD' }).generateReport(
      'sales-daily',
      today(),
    );

    const stored = await makeReportStore({ doc, tableName }).getReport('sales-daily', today());

    expect(stored).toMatchObject({
      entity: 'report',
      reportType: 'sales-daily',
      period: today(),
      generatedAt: report.generatedAt,
    });
    expect(stored?.body).toMatchObject({ ordersReceived: report.ordersReceived });
  },

  'Every order submitted on a UTC day': async () => {
    const found = await all(stores.orders.byDay.all({ day: dayOf(confirmed.createdAt) }));

    expect(found.map((order) => order.orderId)).toEqual(
      expect.arrayContaining([confirmed.orderId, backordered.orderId]),
    );
    expect(found.map((order) => order.createdAt)).toEqual(found.map((order) => order.createdAt).sort());
  },

  'Every journal entry posted on a UTC day': async () => {
    const found = await all(stores.journal.byDay.all({ day: dayOf(confirmed.updatedAt) }));

    expect(found.map((entry) => entry.source.id)).toContain(confirmed.orderId);
    expect(found.every((entry) => dayOf(entry.postedAt) === dayOf(confirmed.updatedAt))).toBe(true);
  },

  'Receivable invoices due before a day, earliest due first': async () => {
    const invoice = (await stores.invoices.getInvoice(confirmed.invoiceId!))!;

    const bounded = await all(
      stores.invoices.byStatus.all({ status: 'OPEN' }, { before: addDays(dayOf(invoice.issuedAt), 31) }),
    );
    const before = await all(stores.invoices.byStatus.all({ status: 'OPEN' }, { before: invoice.dueDate }));

    expect(bounded.map((i) => i.invoiceId)).toContain(invoice.invoiceId);
    expect(before.map((i) => i.invoiceId)).not.toContain(invoice.invoiceId);
  },

  'The whole catalogue, by SKU': async () => {
    const found = await all(stores.items.catalogue.all({}));

    expect(found.map((item) => item.sku)).toEqual(['DM-AMPLE', 'DM-NONE', 'DM-PLENTY']);
  },

  'Every purchase order in a status': async () => {
    const found = await all(stores.purchaseOrders.byStatus.all({ status: 'OPEN' }));

    expect(found.map((po) => po.sku).sort()).toEqual(['DM-NONE', 'DM-PLENTY']);
  },
};

describe('access patterns of reports', () => {
  for (const [pattern, test] of Object.entries(reportRows)) it(pattern, test);

  it('has a test for every row of the Reports table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## Reports')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());

    expect(documented).toEqual(Object.keys(reportRows));
  });
});

/**
 * One test per row of the "Customer support and IT" table in docs/data-model.md, on cases written by the desk service.
 */
const deskClock = { now: new Date('2026-03-03T09:00:00.000Z') };
const desk = makeDeskService({ doc, tableName, now: () => deskClock.now });
const deskStore = makeDeskStore({ doc, tableName, policy: DEFAULT_SLA_POLICY });
const DESK_DAY = '2026-03-03';
const deskCase = (priority: string, email = 'desk@example.com') =>
  caseSubmissionSchema.parse({
    customer: { name: 'Desk Customer', email },
    category: 'complaint',
    priority,
    subject: 'Broken',
    description: 'It broke.',
  });
const advance = (minutes: number) => (deskClock.now = new Date(deskClock.now.getTime() + minutes * 60_000));
let urgentCase: string;
let lowCase: string;
let assignedCase: string;
let resolvedCase: string;
let ticket: string;

const deskRows: Record<string, () => Promise<void>> = {
  'A case or ticket with its whole history': async () => {
    const found = await deskStore.getRecordWithHistory('case', assignedCase);

    expect(found?.record).toMatchObject({ id: assignedCase, status: 'IN_PROGRESS', assignee: 'agent-7' });
    expect(found?.history.map((line) => line.action)).toEqual(['submitted', 'triaged', 'assign']);
  },
  'A case or ticket alone, read consistently': async () => {
    expect(await deskStore.getRecord('ticket', ticket)).toMatchObject({
      kind: 'ticket',
      id: ticket,
      requester: 'emp-1',
    });
    expect(await deskStore.getRecord('case', ticket)).toBeUndefined();
  },
  'Cases in a status, most urgent first, then oldest': async () => {
    const open = await deskStore.listRecords('case', { status: 'OPEN' }, page);
    const urgentOnly = await deskStore.listRecords('case', { status: 'OPEN', priority: 'urgent' }, page);

    expect(open.items.map((item) => 'caseId' in item && item.caseId)).toEqual([urgentCase, lowCase]);
    expect(urgentOnly.items.map((item) => 'caseId' in item && item.caseId)).toEqual([urgentCase]);
  },
  "An agent's cases, by status, then urgency, then age": async () => {
    const all = await deskStore.listRecords('case', { assignee: 'agent-7' }, page);
    const inProgress = await deskStore.listRecords('case', { assignee: 'agent-7', status: 'IN_PROGRESS' }, page);

    expect(all.items.map((item) => 'caseId' in item && item.caseId)).toEqual([assignedCase]);
    expect(inProgress.items).toHaveLength(1);
    expect((await deskStore.listRecords('case', { assignee: 'agent-7', status: 'OPEN' }, page)).items).toEqual([]);
  },
  'Cases and tickets due for the SLA monitor': async () => {
    const beforeAnyDeadline = await deskStore.dueRecords(deskClock.now.toISOString());
    const afterUrgentDeadline = await deskStore.dueRecords(
      new Date(Date.parse(`${DESK_DAY}T10:30:00.000Z`)).toISOString(),
    );

    expect(beforeAnyDeadline).toEqual([]);
    expect(afterUrgentDeadline.map((record) => record.id)).toEqual([urgentCase]);
  },
  "Cases submitted on a UTC day, with that day's resolutions and breaches": async () => {
    const day = await deskStore.dayEntries('case', DESK_DAY);

    expect(day.submitted.map((record) => record.id).sort()).toEqual(
      [urgentCase, lowCase, assignedCase, resolvedCase].sort(),
    );
    expect(day.history.map((line) => [line.id, line.action])).toEqual([[resolvedCase, 'resolve']]);
  },
  'Open cases and tickets, and how many are breached': async () => {
    expect(await countOpenDeskWork(doc, tableName)).toEqual({ openCases: 3, openTickets: 1, slaBreaches: 0 });
  },
  "A customer's cases in their timeline, newest first": async () => {
    const customerId = (await stores.customers.findCustomerIdByEmail('desk@example.com'))!;

    const found = await stores.customers.listCustomerRecords(customerId, page);

    expect(found.items.map((item) => item.caseId)).toEqual([resolvedCase, assignedCase, lowCase, urgentCase]);
  },
};

describe('access patterns of cases and tickets', () => {
  beforeAll(async () => {
    urgentCase = (await desk.submitCase(deskCase('urgent'), { actor: 'front-1', correlationId: 'd1' })).caseId;
    advance(1);
    lowCase = (await desk.submitCase(deskCase('low'), { actor: 'front-1', correlationId: 'd2' })).caseId;
    advance(1);
    assignedCase = (await desk.submitCase(deskCase('normal'), { actor: 'front-1', correlationId: 'd3' })).caseId;
    advance(1);
    resolvedCase = (await desk.submitCase(deskCase('high'), { actor: 'front-1', correlationId: 'd4' })).caseId;
    ticket = (
      await desk.submitTicket(
        ticketSubmissionSchema.parse({ category: 'access', priority: 'low', subject: 'VPN', description: 'No VPN.' }),
        { requester: 'emp-1', correlationId: 'd5' },
      )
    ).ticketId;
    for (const id of [urgentCase, lowCase, assignedCase, resolvedCase]) await desk.triage('case', id, 'system:test');
    await desk.triage('ticket', ticket, 'system:test');
    advance(1);
    await desk.act('case', assignedCase, { action: 'assign', assignee: 'agent-7' }, 'agent-7');
    await desk.act('case', resolvedCase, { action: 'resolve', resolution: 'Fixed.' }, 'agent-7');
  });

  for (const [pattern, test] of Object.entries(deskRows)) it(pattern, test);

  it(
    'has a test for every row of the Customer support and IT table in docs/data-model.md, ' +
      'and a row for every test',
    () => {
      const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
      const section = text.split('\n## Customer support and IT')[1]!.split('\n## ')[0]!;
      const documented = section
        .split('\n')
        .filter((line) => /^\| \d+ \|/.test(line))
        .map((line) => line.split('|')[2]!.trim());
      expect(documented).toEqual(Object.keys(deskRows));
    },
  );
});

/**
 * One test per row of the "Money" table in docs/data-model.md, on payments, entries and closings written by their
 * services.
 */
const moneyClock = { now: new Date('2026-04-10T09:00:00.000Z') };
const moneyNow = () => new Date(moneyClock.now.getTime());
const ledger = makeLedgerService({ doc, tableName, now: moneyNow });
const ledgerStore = makeLedgerStore({ doc, tableName });
const payments = makePaymentService({ doc, tableName, currency: 'USD', now: moneyNow });
const paymentStore = makePaymentStore({ doc, tableName });
const MONEY_EMAIL = 'money@example.com';
let moneyInvoiceId: string;
let appliedPayment: string;
let receivedPayment: string;

const moneyRows: Record<string, () => Promise<void>> = {
  "The ledger's balance shards": async () => {
    const shards = await ledgerStore.readShards();

    expect(shards.length).toBeGreaterThan(1);
    expect(shards.every((shard) => shard.key.pk === keys.ledgerBalanceShard.partition({}))).toBe(true);
    expect(shards.some((shard) => shard.movements.has('2026-04-10'))).toBe(true);
  },
  'The closing balances of a UTC day': async () => {
    const closing = await ledgerStore.getClosing('2026-04-09');

    expect(closing).toMatchObject({ entity: 'ledgerClosing', day: '2026-04-09' });
    expect(await ledgerStore.getClosing('2026-04-10')).toBeUndefined();
  },
  'The latest closing on or before a day': async () => {
    expect((await ledgerStore.closingOnOrBefore('2026-04-09'))?.day).toBe('2026-04-09');
    expect((await ledgerStore.latestClosing())?.day).toBe('2026-04-09');
    expect(await ledgerStore.closingOnOrBefore('1999-01-01')).toBeUndefined();
  },
  'Journal entries posted on a UTC day between two instants': async () => {
    const { entries } = await stores.journal.journalEntriesBetween(
      '2026-04-10',
      { from: '2026-04-10T09:00:00.000Z', to: '2026-04-10T23:59:59.999Z' },
      50,
    );

    expect(entries.map((entry) => entry.source)).toEqual([{ type: 'payment', id: appliedPayment }]);
  },
  'Get a payment': async () => {
    expect(await paymentStore.getPayment(appliedPayment)).toMatchObject({
      entity: 'payment',
      status: 'APPLIED',
      amountCents: 100,
    });
  },
  'Payments in a status, oldest first': async () => {
    const received = await paymentStore.byStatus.page({ status: 'RECEIVED' }, page);

    expect(received.items.map((p) => p.paymentId)).toEqual([receivedPayment]);
    expect((await paymentStore.byStatus.page({ status: 'APPLIED' }, page)).items.map((p) => p.paymentId)).toEqual([
      appliedPayment,
    ]);
  },
  'Payments received on a UTC day': async () => {
    const found = await all(paymentStore.byDay.all({ day: '2026-04-10' }));

    expect(found.map((p) => p.paymentId)).toEqual([appliedPayment, receivedPayment]);
  },
  "A customer's payments in their timeline, newest first": async () => {
    const customerId = (await stores.customers.findCustomerIdByEmail(MONEY_EMAIL))!;

    const found = await stores.customers.listCustomerRecords(customerId, page);

    expect(found.items.filter((r) => r.entity === 'payment').map((r) => r.paymentId)).toEqual([
      receivedPayment,
      appliedPayment,
    ]);
  },
};

describe('access patterns of money', () => {
  beforeAll(async () => {
    moneyClock.now = new Date('2026-04-09T09:00:00.000Z');
    const moneyOrders = makeOrderService({ doc, tableName, currency: 'USD', now: moneyNow });
    await makeInventoryService({ doc, tableName, now: moneyNow }).putItem(
      'DM-MONEY',
      { name: 'Money', unitPriceCents: 500, unitCostCents: 100, reorderPoint: 0, reorderQuantity: 5, onHand: 10 },
      'tester',
    );
    const { orderId } = await moneyOrders.submitOrder(
      { customer: { name: 'Money', email: MONEY_EMAIL }, lines: [{ sku: 'DM-MONEY', quantity: 1 }] },
      { actor: 'tester', correlationId: 'm1' },
    );
    await moneyOrders.processOrder(orderId, 'system:test');
    moneyInvoiceId = (await stores.orders.getOrder(orderId))!.invoiceId!;
    moneyClock.now = new Date('2026-04-10T09:00:00.000Z');
    appliedPayment = (
      await payments.submitPayment(
        { invoiceId: moneyInvoiceId, amountCents: 100, method: 'card' },
        { actor: 'clerk', correlationId: 'm2' },
      )
    ).paymentId;
    await payments.applyPayment(appliedPayment, 'system:test');
    moneyClock.now = new Date('2026-04-10T09:01:00.000Z');
    receivedPayment = (
      await payments.submitPayment(
        { invoiceId: moneyInvoiceId, amountCents: 50, method: 'cash' },
        { actor: 'clerk', correlationId: 'm3' },
      )
    ).paymentId;
    await ledger.closeLedger({ through: '2026-04-09' });
  });

  for (const [pattern, test] of Object.entries(moneyRows)) it(pattern, test);

  it('has a test for every row of the Money table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## Money')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());
    expect(documented).toEqual(Object.keys(moneyRows));
  });
});

/** One test per row of the "HR: employees" table in docs/data-model.md, on employees hired through the HR service. */
const hr = makeHrService({ doc, tableName });
const employeeStore = makeEmployeeStore({ doc, tableName });
const hrContext = { actor: 'hr-1', correlationId: 'h1' };
const hire = (email: string, department: string) =>
  hr.hire(
    hireSchema.parse({
      name: 'Staff',
      email,
      title: 'Engineer',
      department,
      startDate: '2026-04-01',
      annualSalaryCents: 100,
    }),
    hrContext,
  );
let salesFirst: string;
let salesSecond: string;
let support: string;
let activeSales: string;

const employeeRows: Record<string, () => Promise<void>> = {
  'Get an employee': async () => {
    expect(await employeeStore.getEmployee(salesFirst)).toMatchObject({
      employeeId: salesFirst,
      status: 'ONBOARDING',
      department: 'Sales',
    });
    expect(await employeeStore.getEmployee('emp_NONE')).toBeUndefined();
  },
  'The current employee with an email': async () => {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.employeeEmail.key({ email: 'dm-sales-1@example.com' }) }),
    );
    const again = hr.hire(
      hireSchema.parse({
        name: 'Twin',
        email: 'DM-Sales-1@example.com',
        title: 'Twin',
        department: 'Sales',
        startDate: '2026-04-01',
        annualSalaryCents: 1,
      }),
      hrContext,
    );

    expect(Item).toMatchObject({ entity: 'employeeEmail', employeeId: salesFirst });
    await expect(again).rejects.toThrow('A current employee already has this email.');
    await expect(again).rejects.not.toBeInstanceOf(TransactionConditionError);
  },
  'Employees in a status, by department, then hiring order': async () => {
    const sales = await employeeStore.listEmployees({ status: 'ONBOARDING', department: 'Sales' }, page);
    const onboarding = await employeeStore.listEmployees({ status: 'ONBOARDING' }, page);
    const active = await employeeStore.listEmployees({ status: 'ACTIVE', department: 'Sales' }, page);

    expect(sales.items.map((e) => e.employeeId)).toEqual([salesFirst, salesSecond]);
    expect(onboarding.items.map((e) => e.employeeId)).toEqual([salesFirst, salesSecond, support]);
    expect(active.items.map((e) => e.employeeId)).toEqual([activeSales]);
    const walked: string[] = [];
    for await (const employee of employeeStore.byStatus.all({ status: 'ONBOARDING' })) walked.push(employee.employeeId);
    expect(walked).toEqual([salesFirst, salesSecond, support]);
    expect(await countOpenOnboardings(doc, tableName)).toBe(3);
  },
  'Employees with a last day, by that day': async () => {
    const leaver = (await hire('dm-leaver@example.com', 'Sales')).employeeId;
    const earlier = (await hire('dm-leaver-2@example.com', 'Support')).employeeId;
    await hr.terminate(leaver, { lastDay: '2026-06-30' }, 'hr-1');
    await hr.terminate(earlier, { lastDay: '2026-05-31' }, 'hr-1');

    const leavers: string[] = [];
    const query = keys.employeeByLastDay.query({}, { from: '2026-06-01' });
    for await (const item of queryAll(doc, tableName, query)) leavers.push(String(item.employeeId));
    const all: string[] = [];
    for await (const item of queryAll(doc, tableName, keys.employeeByLastDay.query({}, { from: '2026-01-01' })))
      all.push(String(item.employeeId));

    expect(leavers).toEqual([leaver]);
    expect(all).toEqual([earlier, leaver]);
    expect(all).not.toContain(salesFirst);
  },
};

describe('access patterns of employees', () => {
  beforeAll(async () => {
    support = (await hire('dm-support@example.com', 'Support')).employeeId;
    salesFirst = (await hire('dm-sales-1@example.com', 'Sales')).employeeId;
    salesSecond = (await hire('dm-sales-2@example.com', 'Sales')).employeeId;
    activeSales = (await hire('dm-sales-3@example.com', 'Sales')).employeeId;
    for (const task of ['accounts', 'equipment', 'benefits_enrollment', 'policy_acknowledgement']) {
      await hr.completeTask(activeSales, task, 'hr-1');
    }
  });

  for (const [pattern, test] of Object.entries(employeeRows)) it(pattern, test);

  it('has a test for every row of the HR: employees table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## HR: employees')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());
    expect(documented).toEqual(Object.keys(employeeRows));
  });
});

// ------------------------------------------------------------------------------------------------ appointments

const appointmentStore = makeAppointmentStore({ doc, tableName });
/** A Monday in the future, so bookings made through the service are never in the past. */
const APPOINTMENT_DAY = '2030-01-07';
const appointments = makeAppointmentService({
  doc,
  tableName,
  now: () => new Date(`${APPOINTMENT_DAY}T06:00:00.000Z`),
});
const appointmentContext = { actor: 'front-1', correlationId: 'dm-appointments' };
const bookAt = (resourceId: string, start: string, end: string, email = 'dm-appt@example.com') =>
  appointments.book(
    bookingSchema.parse({
      resourceId,
      customer: { name: 'Ada', email },
      start: `${APPOINTMENT_DAY}T${start}:00Z`,
      end: `${APPOINTMENT_DAY}T${end}:00Z`,
      purpose: 'Data model',
    }),
    appointmentContext,
  );
let firstAppointment: string;
let secondAppointment: string;
let cancelledAppointment: string;

const appointmentRows: Record<string, () => Promise<void>> = {
  'Get an appointment': async () => {
    expect(await appointmentStore.getAppointment(firstAppointment)).toMatchObject({
      appointmentId: firstAppointment,
      resourceId: 'dm-room',
      status: 'BOOKED',
      start: `${APPOINTMENT_DAY}T09:00:00.000Z`,
    });
    expect(await appointmentStore.getAppointment('apt_NONE')).toBeUndefined();
  },
  'The slot of a resource at a time': async () => {
    const slot = (time: string) =>
      doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.appointmentSlot.key({ resourceId: 'dm-room', slotStart: `${APPOINTMENT_DAY}T${time}:00.000Z` }),
        }),
      );

    expect((await slot('09:45')).Item).toMatchObject({ entity: 'appointmentSlot', appointmentId: firstAppointment });
    expect((await slot('10:00')).Item).toMatchObject({ appointmentId: secondAppointment });
    expect((await slot('12:00')).Item).toBeUndefined();
    await expect(bookAt('dm-room', '09:45', '10:15')).rejects.toThrow(/already booked/);
  },
  "A resource's appointments starting in a range, oldest first": async () => {
    const range = (from: string, to: string) =>
      appointmentStore.listByResource('dm-room', `${APPOINTMENT_DAY}T${from}`, `${APPOINTMENT_DAY}T${to}`, page);

    expect((await range('00:00:00.000Z', '23:59:59.999Z')).items.map((a) => a.appointmentId)).toEqual([
      firstAppointment,
      secondAppointment,
      cancelledAppointment,
    ]);
    expect((await range('09:00:00.000Z', '10:00:00.000Z')).items.map((a) => a.appointmentId)).toEqual([
      firstAppointment,
    ]);
  },
  'Appointments starting on a UTC day': async () => {
    expect(await countBookedAppointmentsOfDay(doc, tableName, APPOINTMENT_DAY)).toBe(2);
    expect(await countBookedAppointmentsOfDay(doc, tableName, '2030-01-08')).toBe(0);
  },
  "A customer's appointments in their timeline, newest first": async () => {
    const customerId = (await stores.customers.findCustomerIdByEmail('dm-appt@example.com'))!;
    const records = await stores.customers.listCustomerRecords(customerId, page);

    expect(records.items.map((r) => r.appointmentId)).toEqual([
      cancelledAppointment,
      secondAppointment,
      firstAppointment,
    ]);
    expect(records.items[0]!.timelineKey).toMatch(new RegExp(`#APPOINTMENT#${cancelledAppointment}$`));
  },
  'Get a resource': async () => {
    expect(await appointmentStore.getResource('dm-desk')).toMatchObject({ name: 'Desk', version: 1 });
    expect(await appointmentStore.getResource('dm-none')).toBeUndefined();
  },
  'Every declared resource, by id': async () => {
    const listed = await appointmentStore.resources.page({}, page);

    expect(listed.items.map((r) => r.resourceId)).toEqual(['dm-desk', 'dm-room']);
  },
};

describe('access patterns of appointments', () => {
  beforeAll(async () => {
    const hours = { mon: [{ from: '08:00', to: '18:00' }] };
    await appointments.declareResource('dm-room', { name: 'Room', openingHours: hours }, 'admin-1');
    await appointments.declareResource('dm-desk', { name: 'Desk', openingHours: hours }, 'admin-1');
    firstAppointment = (await bookAt('dm-room', '09:00', '10:00')).appointmentId;
    secondAppointment = (await bookAt('dm-room', '10:00', '11:00')).appointmentId;
    cancelledAppointment = (await bookAt('dm-room', '11:00', '12:00')).appointmentId;
    await appointments.cancel(cancelledAppointment, 'front-1');
  });

  for (const [pattern, test] of Object.entries(appointmentRows)) it(pattern, test);

  it('has a test for every row of the Appointments table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## Appointments')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());
    expect(documented).toEqual(Object.keys(appointmentRows));
  });
});

/**
 * One test per row of the "HR: payroll" table in docs/data-model.md: runs written through the payroll service, and
 * employees with a last day written as termination writes them (the record, its status entry and its last-day entry).
 */
const payrollClock = { now: new Date('2026-12-03T09:00:00.000Z') };
const payroll = makePayrollService({ doc, tableName, now: () => payrollClock.now });
const payrollStore = makePayrollStore({ doc, tableName });
const payrollContext = { actor: 'hr-1', correlationId: 'p1' };
let leaverSince: string;
let leaverBefore: string;
let payrollStaff: string;

async function putLeaver(employeeId: string, lastDay: string): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.employee.key({ employeeId }),
        ...keys.employeeByStatus.key({ status: 'TERMINATED', department: 'Payroll', employeeId }),
        ...keys.employeeByLastDay.key({ lastDay, employeeId }),
        entity: 'employee',
        employeeId,
        status: 'TERMINATED',
        name: 'Leaver',
        email: `${employeeId.toLowerCase()}@example.com`,
        title: 'Clerk',
        department: 'Payroll',
        startDate: '1990-01-01',
        lastDay,
        annualSalaryCents: 1200,
        tasks: [],
        createdAt: '1990-01-01T00:00:00.000Z',
        updatedAt: '1990-01-01T00:00:00.000Z',
        version: 2,
      },
    }),
  );
}

const payrollRows: Record<string, () => Promise<void>> = {
  'A payroll run with its lines': async () => {
    const found = await payrollStore.getRunWithLines('1990-02');

    expect(found?.run).toMatchObject({ period: '1990-02', status: 'COMPLETED', lineCount: 1 });
    expect(found?.lines).toEqual([
      { employeeId: leaverSince, department: 'Payroll', days: 10, grossCents: Math.round((1200 * 10) / (12 * 28)) },
    ]);
    expect(await payrollStore.getRunWithLines('1990-12')).toBeUndefined();
  },
  'A payroll run alone, read consistently': async () => {
    expect(await payrollStore.getRun('1990-03', true)).toMatchObject({ period: '1990-03', status: 'PENDING' });
    expect(await payrollStore.getRun('1990-12', true)).toBeUndefined();
  },
  'Payroll runs in a status, oldest request first': async () => {
    const pending = [];
    for await (const run of payrollStore.byStatus.all({ status: 'PENDING' })) pending.push(run.period);
    const completed = await payrollStore.byStatus.page({ status: 'COMPLETED' }, page);

    expect(pending).toEqual(['1990-04', '1990-03']);
    expect(completed.items.map((run) => run.period)).toEqual(['1990-02']);
  },
  'Every payroll run, newest period first': async () => {
    const newest = await payrollStore.runs.page({}, { limit: 2 }, { ascending: false });
    const rest = await payrollStore.runs.page({}, { limit: 2, cursor: newest.nextCursor! }, { ascending: false });

    expect([...newest.items, ...rest.items].map((run) => run.period)).toEqual(['1990-04', '1990-03', '1990-02']);
  },
  'Leavers whose last day is on or after a day': async () => {
    const since = [];
    // Bounded above too: the partition also holds the leavers other tests of this file write (in 2026).
    const window = { from: '1990-02-01', before: '1991-01-01' };
    for await (const employee of employeeStore.byLastDay.all({}, window)) since.push(employee);

    expect(since.map((employee) => employee.employeeId)).toEqual([leaverSince]);
    expect(since.map((employee) => employee.lastDay)).toEqual(['1990-02-10']);
    expect(leaverBefore).toBeDefined();
  },
  'Everyone employed on or after a day': async () => {
    const ids = (await employeeStore.staffAndLeaversSince('1990-02-01')).map((employee) => employee.employeeId);

    expect(ids).toContain(leaverSince);
    expect(ids).toContain(payrollStaff);
    expect(ids).not.toContain(leaverBefore);
  },
};

describe('access patterns of payroll', () => {
  beforeAll(async () => {
    leaverBefore = 'emp_DMLEAVERBEFORE';
    leaverSince = 'emp_DMLEAVERSINCE';
    await putLeaver(leaverBefore, '1990-01-31');
    await putLeaver(leaverSince, '1990-02-10');
    payrollStaff = (await hire('dm-payroll@example.com', 'Payroll')).employeeId;
    // 1990-02 is requested first and completed; 1990-04 is requested before 1990-03 and both stay pending.
    await payroll.requestRun('1990-02', payrollContext);
    await payroll.processRun('1990-02', 'system:test');
    payrollClock.now = new Date('2026-12-03T09:01:00.000Z');
    await payroll.requestRun('1990-04', payrollContext);
    payrollClock.now = new Date('2026-12-03T09:02:00.000Z');
    await payroll.requestRun('1990-03', payrollContext);
  });

  for (const [pattern, test] of Object.entries(payrollRows)) it(pattern, test);

  it('has a test for every row of the HR: payroll table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## HR: payroll')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());
    expect(documented).toEqual(Object.keys(payrollRows));
  });
});

const documentStore = makeDocumentStore({ doc, tableName });
const DOCUMENT_CLOCK = new Date('2030-01-07T09:00:00.000Z');
const documents = makeDocumentService({
  doc,
  tableName,
  now: () => DOCUMENT_CLOCK,
  objects: makeObjectStore({ s3: s3Client, bucket: testResources().s3.bucket }),
});
const clerk = { sub: 'clerk-1', roles: ['front-office'] };
let documentOrder: string;
let documentTicket: string;
let firstDocument: string;
let secondDocument: string;

const documentRows: Record<string, () => Promise<void>> = {
  'Get a document': async () => {
    expect(await documentStore.getDocument(firstDocument)).toMatchObject({
      documentId: firstDocument,
      entityId: documentOrder,
      status: 'PENDING',
    });
    expect(await documentStore.getDocument('doc_NONE')).toBeUndefined();
  },
  "An entity's documents, in upload order": async () => {
    const listed = await documentStore.byEntity.page({ entityId: documentOrder }, page);
    expect(listed.items.map((d) => d.documentId)).toEqual([firstDocument, secondDocument]);
    expect((await documentStore.byEntity.page({ entityId: newId('order') }, page)).items).toEqual([]);
  },
  'Documents still pending, declared before a cutoff': async () => {
    const pendingBefore = async (at: Date) => {
      const ids: string[] = [];
      for await (const d of documentStore.pending.all({}, { before: expiryCutoff(at) })) ids.push(d.documentId);
      return ids;
    };
    expect(await pendingBefore(DOCUMENT_CLOCK)).toEqual([]);
    const later = new Date(DOCUMENT_CLOCK.getTime() + 2 * 3600_000);
    expect(await pendingBefore(later)).toEqual(expect.arrayContaining([firstDocument, secondDocument]));
    await documents.remove(secondDocument, clerk);
    expect(await pendingBefore(later)).not.toContain(secondDocument);
  },
  "Whether the record an entity id names exists (and a ticket's filer)": async () => {
    expect(await documentStore.getEntity('order', documentOrder)).toEqual({});
    expect(await documentStore.getEntity('ticket', documentTicket)).toEqual({ requester: 'emp-9' });
    expect(await documentStore.getEntity('employee', newId('employee'))).toBeUndefined();
  },
};

describe('access patterns of documents', () => {
  beforeAll(async () => {
    documentOrder = newId('order');
    documentTicket = newId('ticket');
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.order.key({ orderId: documentOrder }), entity: 'order' },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.desk.key({ kind: 'ticket', id: documentTicket }), entity: 'desk', requester: 'emp-9' },
      }),
    );
    const declare = () =>
      documents.declare(
        { entityId: documentOrder, fileName: 'note.txt', contentType: 'text/plain', sizeBytes: 5 },
        clerk,
        { correlationId: 'dm' },
      );
    firstDocument = (await declare()).documentId;
    secondDocument = (await declare()).documentId;
  });

  for (const [pattern, test] of Object.entries(documentRows)) it(pattern, test);

  it('has a test for every row of the Documents table in docs/data-model.md, and a row for every test', () => {
    const text = readFileSync(new URL('../../docs/data-model.md', import.meta.url), 'utf8');
    const section = text.split('\n## Documents')[1]!.split('\n## ')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|')[2]!.trim());
    expect(documented).toEqual(Object.keys(documentRows));
  });
});
