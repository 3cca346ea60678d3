import { divideRoundHalfUp, multiplyCents, toSafeNumber } from '#shared/domain/money.ts';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import type { OrderStatus } from '#shared/domain/orders.ts';
import { makeOrderStore, type Order } from '#shared/data/orders.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import { reportCsv } from '#shared/reports/csv.ts';
import { defineReport } from '#shared/reports/definition.ts';

/** How many SKUs `topSkus` lists at most (docs/contract.md#reports). */
export const TOP_SKUS = 10;

export interface TopSku {
  sku: string;
  quantity: number;
  revenueCents: number;
}

/**
 * `sales-daily` (docs/contract.md#reports). Every order figure is about the orders **submitted** that UTC day, each
 * counted once by its status when the report is generated; `revenuePostedCents` is the ledger's view of the same day.
 * The exact meaning of each field is in docs/decisions.md, "Reports".
 */
export interface SalesDaily {
  currency: string;
  /** Orders submitted that day. */
  ordersReceived: number;
  /** Of those, now `CONFIRMED` or `PAID`: sold and not cancelled. */
  ordersConfirmed: number;
  /** Of those, still `BACKORDERED`. */
  ordersBackordered: number;
  /** Of those, `REJECTED`. */
  ordersRejected: number;
  /** Of those, `CANCELLED` (before or after confirmation). */
  ordersCancelled: number;
  /** Of those, still `RECEIVED` (not yet processed); the five counts add up to `ordersReceived`. */
  ordersPending: number;
  /** Total of the confirmed (and paid) orders. */
  revenueCents: number;
  /** `revenueCents / ordersConfirmed`, rounded half up; 0 without a confirmed order. */
  averageOrderValueCents: number;
  /** The confirmed orders' SKUs with the most revenue (then quantity, then SKU), at most ten. */
  topSkus: TopSku[];
  /**
   * Net Sales Revenue (4000) posted in the ledger that day: sales confirmed that day less reversals posted that day.
   */
  revenuePostedCents: number;
}

const SOLD: readonly OrderStatus[] = ['CONFIRMED', 'PAID'];

interface SkuTally {
  quantity: number;
  revenue: bigint;
}

/**
 * The figures of `sales-daily` from the day's orders and the day's journal entries, consumed as they are read.
 * Pure: the generator feeds it from the by-day index partitions, a test from arrays.
 */
export async function salesDailyFigures(
  orders: AsyncIterable<Order> | Iterable<Order>,
  entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>,
  currency: string,
): Promise<SalesDaily> {
  const counts = { received: 0, confirmed: 0, backordered: 0, rejected: 0, cancelled: 0, pending: 0 };
  let revenue = 0n;
  const bySku = new Map<string, SkuTally>();
  for await (const order of orders) {
    counts.received += 1;
    if (SOLD.includes(order.status)) {
      counts.confirmed += 1;
      revenue += BigInt(order.totalCents ?? 0);
      for (const line of order.lines) {
        const sku = bySku.get(line.sku) ?? { quantity: 0, revenue: 0n };
        sku.quantity += line.quantity;
        sku.revenue += BigInt(multiplyCents(line.quantity, line.unitPriceCents ?? 0));
        bySku.set(line.sku, sku);
      }
    } else if (order.status === 'BACKORDERED') counts.backordered += 1;
    else if (order.status === 'REJECTED') counts.rejected += 1;
    else if (order.status === 'CANCELLED') counts.cancelled += 1;
    else counts.pending += 1;
  }

  let posted = 0n;
  for await (const entry of entries) {
    for (const line of entry.lines) {
      if (line.account === ACCOUNT.salesRevenue) posted += BigInt(line.creditCents) - BigInt(line.debitCents);
    }
  }

  const ranked = (a: [string, SkuTally], b: [string, SkuTally]) =>
    a[1].revenue !== b[1].revenue
      ? a[1].revenue > b[1].revenue
        ? -1
        : 1
      : a[1].quantity !== b[1].quantity
        ? b[1].quantity - a[1].quantity
        : a[0] < b[0]
          ? -1
          : 1;
  const topSkus = [...bySku]
    .sort(ranked)
    .slice(0, TOP_SKUS)
    .map(([sku, t]) => ({ sku, quantity: t.quantity, revenueCents: toSafeNumber(t.revenue, 'SKU revenue') }));

  return {
    currency,
    ordersReceived: counts.received,
    ordersConfirmed: counts.confirmed,
    ordersBackordered: counts.backordered,
    ordersRejected: counts.rejected,
    ordersCancelled: counts.cancelled,
    ordersPending: counts.pending,
    revenueCents: toSafeNumber(revenue, 'revenue'),
    averageOrderValueCents:
      counts.confirmed === 0 ? 0 : toSafeNumber(divideRoundHalfUp(revenue, BigInt(counts.confirmed))),
    topSkus,
    revenuePostedCents: toSafeNumber(posted, 'posted revenue'),
  };
}

export const salesDaily = defineReport<SalesDaily>({
  type: 'sales-daily',
  readers: ['accounting', 'ops'],
  description: "The day's orders by outcome, revenue, average order value and top SKUs.",
  async generate(period, deps) {
    const orders = makeOrderStore(deps);
    const journal = makeJournal(deps);
    return salesDailyFigures(orders.byDay.all({ day: period }), journal.byDay.all({ day: period }), deps.currency);
  },
  toCsv: reportCsv,
});
