import * as z from 'zod';
import { ConflictError } from '#shared/errors.ts';
import { emailSchema } from '#shared/domain/email.ts';
import { multiplyCents, sumCents } from '#shared/domain/money.ts';
import { putBack, skuSchema, takeOut, type Stock } from '#shared/domain/inventory.ts';
import { ACCOUNT, linesOf, type JournalLine } from '#shared/domain/ledger.ts';

/**
 * Most lines one order may have. A confirmation is one DynamoDB transaction (at most 100 actions): one stock update
 * per line plus the order, the invoice, the journal entry, the audit event and the ledger-balance items of the four
 * accounts it posts to. 90 lines leaves that headroom; see docs/decisions.md.
 */
export const MAX_ORDER_LINES = 90;
export const MAX_LINE_QUANTITY = 10_000;

export const ORDER_STATUSES = ['RECEIVED', 'BACKORDERED', 'CONFIRMED', 'REJECTED', 'PAID', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The transitions an order may make. Staying `BACKORDERED` after a retry is not a transition: nothing is written. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  RECEIVED: ['CONFIRMED', 'BACKORDERED', 'REJECTED', 'CANCELLED'],
  BACKORDERED: ['CONFIRMED', 'REJECTED', 'CANCELLED'],
  CONFIRMED: ['PAID', 'CANCELLED'],
  PAID: [],
  REJECTED: [],
  CANCELLED: [],
};

/** Whether an order may move from one status to another (the processor, cancellation and payments ask). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Refuses a transition the order's current status does not allow (409 at the API). */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new ConflictError(`An order that is ${from} cannot become ${to}.`);
}

/** Orders the processor still has to fulfil: new ones and those waiting for stock. */
export function awaitsFulfilment(status: OrderStatus): boolean {
  return status === 'RECEIVED' || status === 'BACKORDERED';
}

export const customerSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: emailSchema,
  phone: z.string().trim().min(1).max(32).optional(),
});
export type CustomerInput = z.infer<typeof customerSchema>;

const lineSchema = z.object({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
export type OrderLineInput = z.infer<typeof lineSchema>;

const orderFieldsSchema = z.object({
  customer: customerSchema,
  lines: z.array(lineSchema).min(1).max(MAX_ORDER_LINES),
  notes: z.string().max(5000).optional(),
});

/**
 * Repeated SKUs, reported at `lines.N.sku` of each repetition. It reads the raw input and runs beside the field
 * schema (an intersection), because zod skips refinements once any field has failed, and docs/contract.md#conventions
 * wants every bad field listed in one answer. It contributes no output, so unknown fields are still dropped.
 */
const distinctSkusSchema = z.unknown().transform((input, ctx) => {
  const lines = (input as { lines?: unknown } | null)?.lines;
  if (Array.isArray(lines)) {
    const seen = new Set<string>();
    lines.forEach((line: unknown, index) => {
      const sku = (line as { sku?: unknown } | null)?.sku;
      if (typeof sku !== 'string') return;
      if (seen.has(sku))
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'sku'], message: `Duplicate SKU ${sku}` });
      seen.add(sku);
    });
  }
  return {};
});

/** `POST /v1/orders` (docs/contract.md#orders-and-inventory). Every bad field is listed. */
export const orderSubmissionSchema = orderFieldsSchema.and(distinctSkusSchema);
export type OrderSubmission = z.infer<typeof orderSubmissionSchema>;

/** What fulfilment needs to know about one stocked item. */
export interface StockedItem extends Stock {
  sku: string;
  unitPriceCents: number;
  reorderPoint: number;
  version: number;
}

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface StockMovement {
  sku: string;
  quantity: number;
  costCents: number;
  before: StockedItem;
  after: Stock;
}

export type FulfilmentPlan =
  | { outcome: 'REJECTED'; rejectionReason: 'unknown_sku'; unknownSkus: string[] }
  | { outcome: 'BACKORDERED'; shortSkus: string[] }
  | {
      outcome: 'CONFIRMED';
      lines: PricedLine[];
      totalCents: number;
      costCents: number;
      movements: StockMovement[];
      journalLines: JournalLine[];
    };

/**
 * Decides what an order becomes against the current stock (docs/contract.md#orders-and-inventory): any unknown SKU
 * rejects it; otherwise any line short of stock backorders it with nothing reserved; otherwise every line is priced at
 * the item's current price, every line's stock leaves at moving average cost, and the sale's journal lines are Dr 1100
 * / Cr 4000 for the total and Dr 5000 / Cr 1200 for the cost.
 */
export function planFulfilment(
  lines: readonly OrderLineInput[],
  items: ReadonlyMap<string, StockedItem>,
): FulfilmentPlan {
  const unknownSkus = lines.filter((line) => !items.has(line.sku)).map((line) => line.sku);
  if (unknownSkus.length > 0) return { outcome: 'REJECTED', rejectionReason: 'unknown_sku', unknownSkus };

  const shortSkus = lines.filter((line) => items.get(line.sku)!.onHand < line.quantity).map((line) => line.sku);
  if (shortSkus.length > 0) return { outcome: 'BACKORDERED', shortSkus };

  const priced: PricedLine[] = [];
  const movements: StockMovement[] = [];
  for (const line of lines) {
    const item = items.get(line.sku)!;
    priced.push({ sku: line.sku, quantity: line.quantity, unitPriceCents: item.unitPriceCents });
    const { costCents, after } = takeOut(item, line.quantity);
    movements.push({ sku: line.sku, quantity: line.quantity, costCents, before: item, after });
  }
  const totalCents = sumCents(priced.map((line) => multiplyCents(line.quantity, line.unitPriceCents)));
  const costCents = sumCents(movements.map((movement) => movement.costCents));
  const journalLines = linesOf([
    { debit: ACCOUNT.accountsReceivable, credit: ACCOUNT.salesRevenue, amountCents: totalCents },
    { debit: ACCOUNT.costOfGoodsSold, credit: ACCOUNT.inventory, amountCents: costCents },
  ]);
  return { outcome: 'CONFIRMED', lines: priced, totalCents, costCents, movements, journalLines };
}

/** Days from issue to due date of an invoice (docs/contract.md#orders-and-inventory). */
export const INVOICE_TERMS_DAYS = 30;

/** `YYYY-MM-DD` of the UTC day `days` after the instant `iso`. */
export function addDaysUtc(iso: string, days: number): string {
  const date = new Date(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A confirmed order's line as stored: priced, with the stock value its units took out. */
export interface ConfirmedLine {
  sku: string;
  quantity: number;
  unitPriceCents?: number | undefined;
  costCents?: number | undefined;
}

export interface Restock {
  sku: string;
  quantity: number;
  costCents: number;
  before: StockedItem;
  after: Stock;
}

/**
 * What cancelling a confirmed order puts back (docs/contract.md#orders-and-inventory): every line's units and exactly
 * the stock value they took out at confirmation, and the reversing journal lines Dr 4000 Sales Revenue / Cr 1100
 * Accounts Receivable for the total and Dr 1200 Inventory / Cr 5000 Cost of Goods Sold for the cost.
 */
export function planCancellation(
  order: { totalCents?: number | undefined; lines: readonly ConfirmedLine[] },
  items: ReadonlyMap<string, StockedItem>,
): { restocks: Restock[]; costCents: number; journalLines: JournalLine[] } {
  const restocks = order.lines.map((line): Restock => {
    const item = items.get(line.sku);
    if (line.costCents === undefined) {
      throw new ConflictError(
        'This order was confirmed before line costs were recorded; it cannot be cancelled automatically.',
      );
    }
    if (!item) throw new Error(`Item ${line.sku} of a confirmed order no longer exists`);
    return {
      sku: line.sku,
      quantity: line.quantity,
      costCents: line.costCents,
      before: item,
      after: putBack(item, line.quantity, line.costCents),
    };
  });
  const costCents = sumCents(restocks.map((restock) => restock.costCents));
  const journalLines = linesOf([
    { debit: ACCOUNT.salesRevenue, credit: ACCOUNT.accountsReceivable, amountCents: order.totalCents ?? 0 },
    { debit: ACCOUNT.inventory, credit: ACCOUNT.costOfGoodsSold, amountCents: costCents },
  ]);
  return { restocks, costCents, journalLines };
}
