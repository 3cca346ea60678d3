/**
 * Every key of the single table, built in one place from pure functions so no key is ever concatenated inline.
 * Entity prefixes are upper case, `#`-separated; index attributes are generic (`gsi1pk`/`gsi1sk` ...). Each index
 * serves one kind of access pattern across entities:
 *   gsi1 — by status (work queues, sweeps), sort by time;  gsi2 — by owner (customer timeline, catalogue);
 *   gsi3 — by UTC day (reports, today's summary);           gsi4 — by due time (SLA monitor, later areas).
 * docs/data-model.md lists every access pattern these serve.
 */

/** A UTC day `YYYY-MM-DD` of an ISO timestamp. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

export const keys = {
  /** Idempotency record of one (caller, route, Idempotency-Key); `hash` is a digest of the three. */
  idempotency: (hash: string) => ({ pk: `IDEMPOTENCY#${hash}`, sk: 'IDEMPOTENCY' }),

  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** Orders by status, oldest first: the sweeper (RECEIVED), backorder retries (BACKORDERED). */
  orderByStatus: (status: string, createdAt: string, orderId: string) => ({
    gsi1pk: `ORDER#STATUS#${status}`,
    gsi1sk: `${createdAt}#${orderId}`,
  }),
  orderStatusPartition: (status: string) => `ORDER#STATUS#${status}`,
  /** Orders by the UTC day they were submitted: sales report, today's summary. */
  orderByDay: (createdAt: string, orderId: string) => ({
    gsi3pk: `ORDER#DAY#${dayOf(createdAt)}`,
    gsi3sk: `${createdAt}#${orderId}`,
  }),
  orderDayPartition: (day: string) => `ORDER#DAY#${day}`,

  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'PROFILE' }),
  /** Lookup from a normalized (lower-cased) email to its customer id. */
  customerEmail: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'CUSTOMER' }),
  /** A customer's records (orders, cases, payments, appointments), newest first by sort key. */
  customerRecord: (customerId: string, createdAt: string, type: string, id: string) => ({
    gsi2pk: `CUSTOMER#${customerId}`,
    gsi2sk: `${createdAt}#${type}#${id}`,
  }),
  customerRecordsPartition: (customerId: string) => `CUSTOMER#${customerId}`,

  item: (sku: string) => ({ pk: `ITEM#${sku}`, sk: 'ITEM' }),
  /** Every item, by SKU (the catalogue). */
  itemInCatalogue: (sku: string) => ({ gsi2pk: 'CATALOGUE', gsi2sk: sku }),
  cataloguePartition: () => 'CATALOGUE',
  /** Sparse: present only while the item is at or below its reorder point. */
  itemLowStock: (sku: string) => ({ gsi1pk: 'ITEM#LOW', gsi1sk: sku }),
  lowStockPartition: () => 'ITEM#LOW',

  purchaseOrder: (purchaseOrderId: string) => ({ pk: `PO#${purchaseOrderId}`, sk: 'PO' }),
  purchaseOrderByStatus: (status: string, createdAt: string, purchaseOrderId: string) => ({
    gsi1pk: `PO#STATUS#${status}`,
    gsi1sk: `${createdAt}#${purchaseOrderId}`,
  }),
  purchaseOrderStatusPartition: (status: string) => `PO#STATUS#${status}`,

  invoice: (invoiceId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: 'INVOICE' }),
  /** Invoices by status, by due date: open invoices, AR aging. */
  invoiceByStatus: (status: string, dueDate: string, invoiceId: string) => ({
    gsi1pk: `INVOICE#STATUS#${status}`,
    gsi1sk: `${dueDate}#${invoiceId}`,
  }),
  invoiceStatusPartition: (status: string) => `INVOICE#STATUS#${status}`,

  journalEntry: (entryId: string) => ({ pk: `JOURNAL#${entryId}`, sk: 'ENTRY' }),
  /** Journal entries by the UTC day they were posted: ledger listing, reports. */
  journalByDay: (postedAt: string, entryId: string) => ({
    gsi3pk: `JOURNAL#DAY#${dayOf(postedAt)}`,
    gsi3sk: `${postedAt}#${entryId}`,
  }),
  journalDayPartition: (day: string) => `JOURNAL#DAY#${day}`,

  /** Audit events of one entity, oldest first; `eventId` keeps two events in one millisecond apart. */
  auditEvent: (entityId: string, at: string, eventId: string) => ({ pk: `AUDIT#${entityId}`, sk: `${at}#${eventId}` }),
  auditPartition: (entityId: string) => `AUDIT#${entityId}`,

  // Reports
  /** The stored report of one type and period (`sales-daily`, `2026-11-23`); a regeneration overwrites it. */
  report: (type: string, period: string) => ({ pk: `REPORT#${type}#${period}`, sk: 'REPORT' }),
};
