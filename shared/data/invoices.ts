import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { retainedUntil, retentionFromEnv, type RetentionPolicy } from '#shared/domain/retention.ts';
import { patternReader, queryMergedPage, type PageRequest } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';

export const INVOICE_STATUSES = ['OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const invoiceSchema = z.object({
  entity: z.literal('invoice'),
  invoiceId: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  status: z.enum(INVOICE_STATUSES),
  totalCents: z.number().int(),
  paidCents: z.number().int(),
  currency: z.string(),
  issuedAt: z.string(),
  /** `YYYY-MM-DD`, the UTC day payment is due. */
  dueDate: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

const parseInvoice = (item: Record<string, unknown>): Invoice => invoiceSchema.parse(item);

/** Invoices: the record and its by-status entry (gsi1, sorted by due date for AR aging). */
export function makeInvoiceStore({
  doc,
  tableName,
  retention = retentionFromEnv(),
}: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  retention?: RetentionPolicy;
}) {
  return {
    async getInvoice(invoiceId: string): Promise<Invoice | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.invoice.key({ invoiceId }), ConsistentRead: true }),
      );
      return Item ? invoiceSchema.parse(Item) : undefined;
    },

    newInvoiceItem(invoice: Invoice): TransactItem {
      return createPut(tableName, {
        ...keys.invoice.key(invoice),
        ...keys.invoiceByStatus.key(invoice),
        ...invoice,
        // The books' retention (docs/decisions.md#retention), counted from the year the invoice was issued.
        expiresAt: retainedUntil(invoice.issuedAt, retention.booksYears),
      });
    },

    /**
     * The update recording a payment: `paidCents` and the new status, moving the status index entry, conditional on
     * the invoice still being payable (`OPEN` or `PARTIALLY_PAID`) with the `paidCents` that was read, so of two
     * payments (or a payment and a cancellation) decided on the same reading only one is written.
     */
    paymentUpdate(invoice: Invoice, paidCents: number, status: 'PARTIALLY_PAID' | 'PAID', at: string): TransactItem {
      const set = { status, paidCents, ...keys.invoiceByStatus.key({ ...invoice, status }), updatedAt: at };
      const payable = { status: { in: ['OPEN', 'PARTIALLY_PAID'] }, paidCents: invoice.paidCents };
      return guardedUpdate(tableName, keys.invoice.key(invoice), set, payable);
    },

    /**
     * The update voiding an invoice (its order was cancelled), conditional on it being `OPEN` with nothing paid: a
     * payment applied meanwhile makes the cancellation fail instead.
     */
    voidUpdate(invoice: Invoice, at: string): TransactItem {
      const set = { status: 'VOID', ...keys.invoiceByStatus.key({ ...invoice, status: 'VOID' }), updatedAt: at };
      return guardedUpdate(tableName, keys.invoice.key(invoice), set, { status: 'OPEN', paidCents: 0 });
    },

    /**
     * Invoices in one status, earliest due first (`gsi1sk` = `<dueDate>#<invoiceId>`); `all` with `before: <day>`
     * reads only those due before that day, bounded in the key condition (AR aging).
     */
    byStatus: patternReader({ doc, tableName }, keys.invoiceByStatus, parseInvoice),

    /**
     * Invoices in any of several statuses, earliest due first across them (`OPEN,PARTIALLY_PAID`: everything that
     * still owes, as accounts receivable works it): the status partitions merged page by page.
     */
    listInvoicesByStatuses(statuses: readonly InvoiceStatus[], page: PageRequest): Promise<Page<Invoice>> {
      const queries = statuses.map((status) => keys.invoiceByStatus.query({ status }));
      return statuses.length === 1
        ? this.byStatus.page({ status: statuses[0]! }, page)
        : queryMergedPage(doc, tableName, queries, page, parseInvoice);
    },
  };
}

export type InvoiceStore = ReturnType<typeof makeInvoiceStore>;
