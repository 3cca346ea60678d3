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

/** Partition-key prefixes of the service-desk records (SPEC §4.3 cases, §4.4 IT tickets). */
const DESK_PREFIX = { case: 'CASE', ticket: 'TICKET' } as const;
type DeskKeyKind = keyof typeof DESK_PREFIX;

/**
 * Partitions of the SLA due-time index. Every open case and ticket has one entry; spreading them over a few
 * partitions keeps the index's write heat off one key, and the monitor reads all of them in parallel.
 */
export const SLA_DUE_SHARDS = 4;

function shardOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % SLA_DUE_SHARDS;
}

/** A history sort key: version (zero-padded, so text order is write order), then the line within the write. */
function historySk(version: number, line: number): string {
  return `HISTORY#${String(version).padStart(8, '0')}#${line}`;
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

  // Support and IT
  /** A case or IT ticket; its history lines and its assignment share the partition (one Query reads them all). */
  desk: (kind: DeskKeyKind, id: string) => ({ pk: `${DESK_PREFIX[kind]}#${id}`, sk: DESK_PREFIX[kind] }),
  deskPartition: (kind: DeskKeyKind, id: string) => `${DESK_PREFIX[kind]}#${id}`,
  /** One line of a record's history, in write order. */
  deskHistory: (kind: DeskKeyKind, id: string, version: number, line: number) => ({
    pk: `${DESK_PREFIX[kind]}#${id}`,
    sk: historySk(version, line),
  }),
  /** Records in a status, most urgent first (`rank` 0 = urgent), then oldest first. */
  deskByStatus: (kind: DeskKeyKind, status: string, rank: number, createdAt: string, id: string) => ({
    gsi1pk: `${DESK_PREFIX[kind]}#STATUS#${status}`,
    gsi1sk: `${rank}#${createdAt}#${id}`,
  }),
  deskStatusPartition: (kind: DeskKeyKind, status: string) => `${DESK_PREFIX[kind]}#STATUS#${status}`,
  /** The assignment item of an assigned record: its list entry under the assignee (gsi1), by status then urgency. */
  deskAssignment: (kind: DeskKeyKind, id: string) => ({ pk: `${DESK_PREFIX[kind]}#${id}`, sk: 'ASSIGNMENT' }),
  deskByAssignee: (kind: DeskKeyKind, assignee: string, status: string, rank: number, createdAt: string, id: string) => ({
    gsi1pk: `${DESK_PREFIX[kind]}#ASSIGNEE#${assignee}`,
    gsi1sk: `${status}#${rank}#${createdAt}#${id}`,
  }),
  deskAssigneePartition: (kind: DeskKeyKind, assignee: string) => `${DESK_PREFIX[kind]}#ASSIGNEE#${assignee}`,
  /** Records submitted on a UTC day, and the resolutions and SLA breaches of that day (support-daily report). */
  deskByDay: (kind: DeskKeyKind, createdAt: string, id: string) => ({
    gsi3pk: `${DESK_PREFIX[kind]}#DAY#${dayOf(createdAt)}`,
    gsi3sk: `${createdAt}#${DESK_PREFIX[kind]}#${id}`,
  }),
  deskHistoryByDay: (kind: DeskKeyKind, at: string, id: string, version: number, line: number) => ({
    gsi3pk: `${DESK_PREFIX[kind]}#DAY#${dayOf(at)}`,
    gsi3sk: `${at}#${historySk(version, line)}#${id}`,
  }),
  deskDayPartition: (kind: DeskKeyKind, day: string) => `${DESK_PREFIX[kind]}#DAY#${day}`,
  /**
   * Sparse due-time index (gsi4): present only while the SLA monitor has something pending for the record (triage,
   * a deadline, closing), sorted by when; the monitor reads `gsi4sk <= now` and nothing else.
   */
  slaDue: (kind: DeskKeyKind, dueAt: string, id: string) => ({
    gsi4pk: `SLA#DUE#${shardOf(id)}`,
    gsi4sk: `${dueAt}#${DESK_PREFIX[kind]}#${id}`,
  }),
  slaDuePartitions: () => Array.from({ length: SLA_DUE_SHARDS }, (_, shard) => `SLA#DUE#${shard}`),

  // Reports
  /** The stored report of one type and period (`sales-daily`, `2026-11-23`); a regeneration overwrites it. */
  report: (type: string, period: string) => ({ pk: `REPORT#${type}#${period}`, sk: 'REPORT' }),

  // Money
  /**
   * One of the ledger's balance shards (`0 … LEDGER_BALANCE_SHARDS − 1`). Every journal entry adds its lines to one
   * shard, chosen from its id, in its own transaction; the shards together are the current account balances.
   */
  ledgerBalanceShard: (shard: number) => ({ pk: 'LEDGER#BALANCE', sk: `SHARD#${String(shard).padStart(2, '0')}` }),
  ledgerBalancePartition: () => 'LEDGER#BALANCE',
  /** The stored closing balances of one UTC day; all closings share a partition, sorted by day. */
  ledgerClosing: (day: string) => ({ pk: 'LEDGER#CLOSING', sk: day }),
  ledgerClosingPartition: () => 'LEDGER#CLOSING',

  payment: (paymentId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: 'PAYMENT' }),
  /** Payments by status, oldest first: the sweeper re-queues those still `RECEIVED`. */
  paymentByStatus: (status: string, createdAt: string, paymentId: string) => ({
    gsi1pk: `PAYMENT#STATUS#${status}`,
    gsi1sk: `${createdAt}#${paymentId}`,
  }),
  paymentStatusPartition: (status: string) => `PAYMENT#STATUS#${status}`,
  /** Payments by the UTC day they were received: reports. */
  paymentByDay: (createdAt: string, paymentId: string) => ({
    gsi3pk: `PAYMENT#DAY#${dayOf(createdAt)}`,
    gsi3sk: `${createdAt}#${paymentId}`,
  }),
  paymentDayPartition: (day: string) => `PAYMENT#DAY#${day}`,
};

/** How many balance shards the ledger spreads its running totals over (see `keys.ledgerBalanceShard`). */
export const LEDGER_BALANCE_SHARDS = 16;
