/**
 * Small factories and probes shared by the orders and inventory integration tests (not a test file itself): invoke
 * a route handler with an API Gateway event and read its answer, build request bodies, read what the table holds
 * through the stores' own access patterns.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from '#shared/http/route.ts';
import { dayOf, keys } from '#shared/keys.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import { makeAuditLog, type AuditEvent } from '#shared/data/audit.ts';
import { INVOICE_STATUSES, makeInvoiceStore, type Invoice } from '#shared/data/invoices.ts';
import { makeItemStore, type Item } from '#shared/data/items.ts';
import { makeOrderStore, type Order } from '#shared/data/orders.ts';
import { makePurchaseOrderStore, type PurchaseOrder } from '#shared/data/purchase-orders.ts';
import { apiEvent, lambdaContext, testClients, testResources, type ApiEventOptions } from '../support/index.ts';
import {
  ProvisionedThroughputExceededException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import { dynamo as handlerDynamo } from '#shared/platform/clients.ts';

type HttpHandler = (event: ApiEvent, context: Context) => Promise<unknown>;

export interface Answer<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** Invokes an HTTP handler as API Gateway would and parses its JSON answer. */
export async function call<T = any>(handler: HttpHandler, options: ApiEventOptions): Promise<Answer<T>> {
  const result = (await handler(apiEvent(options), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const text = typeof result.body === 'string' ? result.body : '';
  return {
    status: result.statusCode ?? 0,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: text ? JSON.parse(text) : undefined,
  };
}

let counter = 0;
/** A SKU no other test in the file uses. */
export function uniqueSku(prefix = 'SKU'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${counter}`;
}

/** A PUT item body; opening stock and reorder settings overridable. */
export function itemBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Widget',
    unitPriceCents: 1500,
    unitCostCents: 600,
    reorderPoint: 0,
    reorderQuantity: 20,
    onHand: 10,
    ...overrides,
  };
}

/** A POST /v1/orders body. */
export function orderBody(lines: { sku: string; quantity: number }[], email = 'ada@example.com') {
  return { customer: { name: 'Ada Lovelace', email, phone: '+44 20 7946 0000' }, lines };
}

function stores() {
  const { doc } = testClients();
  const tableName = testResources().tableName;
  return {
    journal: makeJournal({ doc, tableName }),
    audit: makeAuditLog({ doc, tableName }),
    invoices: makeInvoiceStore({ doc, tableName }),
    items: makeItemStore({ doc, tableName }),
    orders: makeOrderStore({ doc, tableName }),
    purchaseOrders: makePurchaseOrderStore({ doc, tableName }),
  };
}

export async function readOrder(orderId: string): Promise<Order | undefined> {
  return stores().orders.getOrder(orderId);
}

export async function readItem(sku: string): Promise<Item | undefined> {
  return stores().items.getItem(sku);
}

/** Every journal entry posted today and yesterday (UTC), so a test running over midnight still sees all. */
export async function journalEntries(): Promise<JournalEntry[]> {
  const now = Date.now();
  const days = [dayOf(new Date(now - 86_400_000).toISOString()), dayOf(new Date(now).toISOString())];
  const entries: JournalEntry[] = [];
  for (const day of days) {
    let cursor: string | undefined;
    do {
      const page = await stores().journal.byDay.page({ day }, { limit: 200, cursor });
      entries.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return entries;
}

/** Journal entries recording one source (an order, a receipt, an item's opening stock). */
export async function entriesFor(sourceId: string): Promise<JournalEntry[]> {
  return (await journalEntries()).filter((entry) => entry.source.id === sourceId);
}

/** Net debit balance of an account over every entry posted. */
export async function accountBalance(account: string): Promise<number> {
  let net = 0;
  for (const entry of await journalEntries()) {
    for (const line of entry.lines) if (line.account === account) net += line.debitCents - line.creditCents;
  }
  return net;
}

/** Sum of every item's stock value (the catalogue), what account 1200 must equal. */
export async function catalogueValue(): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await stores().items.catalogue.page({}, { limit: 200, cursor });
    total += page.items.reduce((sum, item) => sum + item.stockValueCents, 0);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return total;
}

export async function auditEventsOf(entityId: string): Promise<AuditEvent[]> {
  return (await stores().audit.byEntity.page({ entityId: entityId }, { limit: 200 })).items;
}

export async function purchaseOrdersFor(sku: string, status: 'OPEN' | 'RECEIVED' = 'OPEN'): Promise<PurchaseOrder[]> {
  const found: PurchaseOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await stores().purchaseOrders.byStatus.page({ status }, { limit: 200, cursor });
    found.push(...page.items.filter((po) => po.sku === sku));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Orders submitted today (UTC), through the by-day index. */
export async function ordersOfToday(): Promise<Order[]> {
  const found: Order[] = [];
  let cursor: string | undefined;
  do {
    const page = await stores().orders.byDay.page({ day: dayOf(new Date().toISOString()) }, { limit: 200, cursor });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Whether the email lookup of a customer exists. */
export async function customerKnown(email: string): Promise<boolean> {
  const { Item } = await testClients().doc.send(
    new GetCommand({
      TableName: testResources().tableName,
      Key: keys.customerEmail.key({ email }),
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
}

/** Every invoice of any status issued for an order, through the by-status index (at most one, if issued once). */
export async function invoicesOfOrder(orderId: string): Promise<Invoice[]> {
  const found: Invoice[] = [];
  for (const status of INVOICE_STATUSES) {
    for await (const invoice of stores().invoices.byStatus.all({ status }))
      if (invoice.orderId === orderId) found.push(invoice);
  }
  return found;
}

/**
 * Runs `act` while the handlers' DynamoDB client refuses, as throttled beyond the SDK's own retries, every transaction
 * that opens a purchase order for one of `skus`: a fault DynamoDB Local cannot produce, on the real table otherwise.
 */
export async function withPurchaseOrdersThrottled<T>(skus: string[], act: () => Promise<T>): Promise<T> {
  const name = 'throttlePurchaseOrders';
  const throttle: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    const items = JSON.stringify((args.input as { TransactItems?: unknown }).TransactItems ?? []);
    if (items.includes('"PO#') && skus.some((sku) => items.includes(`"ITEM#${sku}"`))) {
      throw new ProvisionedThroughputExceededException({ message: 'injected throttling', $metadata: {} });
    }
    return next(args);
  };
  handlerDynamo.middlewareStack.add(throttle, { step: 'initialize', name });
  try {
    return await act();
  } finally {
    handlerDynamo.middlewareStack.remove(name);
  }
}
