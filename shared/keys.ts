import { indexKeys, type IndexName } from '#shared/table.ts';
import type { OrderStatus } from '#shared/domain/orders.ts';
import type { PurchaseOrderStatus } from '#shared/domain/inventory.ts';
import type { PaymentStatus } from '#shared/domain/payments.ts';
import type { DeskStatus } from '#shared/domain/desk.ts';
import type { InvoiceStatus } from '#shared/data/invoices.ts';
import type { EmployeeStatus } from '#shared/domain/hr.ts';
import type { PayrollRunStatus } from '#shared/domain/payroll.ts';

/**
 * Every access pattern of the single table, each defined once: where it lives (the table's own key or a named
 * index), the partition it groups items by and the sort key that orders them, both built from the item's own
 * attributes (ElectroDB's "facets"). The same definition writes the key attributes onto an item (`key`) and reads
 * them back (`query`), so a partition can only ever be queried on the index that holds it. Index attributes are
 * generic (`gsi1pk`/`gsi1sk` ...); each index serves one kind of pattern across entities:
 *   gsi1 — by status (work queues, sweeps), sort by time;
 *   gsi2 — by owner (customer timeline, catalogue, an actor's audit events);
 *   gsi3 — by UTC day (reports, today's summary);           gsi4 — by due time (SLA monitor).
 * (gsi1 also lists employees by status, department first, so a department narrows by prefix, and a resource's
 * appointments by start, as it lists an agent's assignments.)
 * docs/data-model.md lists every pattern with its key condition and the store method that reads it.
 */

/** Where an access pattern lives: the table's own key (`pk`/`sk`) or a global secondary index. */
export type PatternIndex = 'table' | IndexName;

/** Sort-key bounds of a query; `from` and `before` together read `BETWEEN from AND before`. */
export interface SortRange {
  /** `sk >= from`. */
  from?: string;
  /** `sk < before` (with `from`: `BETWEEN`). */
  before?: string;
  /** `sk <= through`. */
  through?: string;
  /** `begins_with(sk, prefix)`. */
  prefix?: string;
}

export interface QueryOptions extends SortRange {
  /** Oldest (smallest sort key) first unless false. */
  ascending?: boolean;
  /** A strongly consistent read (the table's own key only). */
  consistent?: boolean;
}

declare const fromPattern: unique symbol;

/**
 * One partition of one access pattern, read in sort-key order. Only an access pattern makes one (the brand), so a
 * query always names the index its partition was written to.
 */
export interface PartitionQuery extends QueryOptions {
  readonly index: PatternIndex;
  readonly partition: string;
  readonly [fromPattern]: true;
}

/**
 * An access pattern: `P` are the attributes its partition is built from, `S` those of its sort key, and `K` what an
 * item gives to write its key (usually `P & S`; a by-day pattern takes the day from the item's timestamp).
 */
export interface AccessPattern<P, S, K = P & S> {
  readonly index: PatternIndex;
  /** The key attributes this pattern writes onto an item: `{ pk, sk }` or `{ gsiNpk, gsiNsk }`. */
  key(item: K): Record<string, string>;
  /** The key attributes, undefined: an update that sets them removes the item from a sparse index. */
  absent(): Record<string, undefined>;
  /** The partition value, for a query or a stored key. */
  partition(facets: P): string;
  /** A query of one partition, optionally bounded by sort key. */
  query(facets: P, options?: QueryOptions): PartitionQuery;
}

/** The attribute names of where a pattern lives: `table` → `pk`/`sk`, `gsi1` → `gsi1pk`/`gsi1sk`. */
export function keyAttributes(index: PatternIndex): { pk: string; sk: string } {
  return index === 'table' ? { pk: 'pk', sk: 'sk' } : indexKeys(index);
}

/**
 * Defines an access pattern from its index, partition and sort key; its key attributes are named by the index.
 * `facetsOf` derives the partition's attributes from an item's when they are not stored as such (a day from a time).
 */
export function pattern<P, S, K = P & S>(
  index: PatternIndex,
  partition: (facets: P) => string,
  sort: (facets: S) => string,
  facetsOf?: (item: K) => P & S,
): AccessPattern<P, S, K> {
  const names = keyAttributes(index);
  return {
    index,
    key: (item) => {
      const facets = facetsOf ? facetsOf(item) : (item as unknown as P & S);
      return { [names.pk]: partition(facets), [names.sk]: sort(facets) };
    },
    absent: () => ({ [names.pk]: undefined, [names.sk]: undefined }),
    partition,
    query: (facets, options = {}) => ({ ...options, index, partition: partition(facets) }) as PartitionQuery,
  };
}

/** A UTC day `YYYY-MM-DD` of an ISO timestamp. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The partition-key prefix of every audit item (`AUDIT#<entityId>`); no function may update or delete an item under
 * it (the CDK stack's Deny, mirrored by the tests' permission model).
 */
export const AUDIT_KEY_PREFIX = 'AUDIT#';

/** Partition-key prefixes of the service-desk records (customer-support cases and IT tickets). */
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

/** How many balance shards the ledger spreads its running totals over (see `keys.ledgerBalanceShard`). */
export const LEDGER_BALANCE_SHARDS = 16;

type Desk = { kind: DeskKeyKind };

export const keys = {
  /** Idempotency record of one (caller, route, Idempotency-Key); `hash` is a digest of the three. */
  idempotency: pattern(
    'table',
    ({ hash }: { hash: string }) => `IDEMPOTENCY#${hash}`,
    () => 'IDEMPOTENCY',
  ),

  order: pattern(
    'table',
    ({ orderId }: { orderId: string }) => `ORDER#${orderId}`,
    () => 'ORDER',
  ),
  /** Orders by status, oldest first: the sweeper (RECEIVED), backorder retries (BACKORDERED). */
  orderByStatus: pattern(
    'gsi1',
    ({ status }: { status: OrderStatus }) => `ORDER#STATUS#${status}`,
    ({ createdAt, orderId }: { createdAt: string; orderId: string }) => `${createdAt}#${orderId}`,
  ),
  /** Orders by the UTC day they were submitted: sales report, today's summary. */
  orderByDay: pattern(
    'gsi3',
    ({ day }: { day: string }) => `ORDER#DAY#${day}`,
    ({ createdAt, orderId }: { createdAt: string; orderId: string }) => `${createdAt}#${orderId}`,
    (order: { createdAt: string; orderId: string }) => ({ day: dayOf(order.createdAt), ...order }),
  ),

  customer: pattern(
    'table',
    ({ customerId }: { customerId: string }) => `CUSTOMER#${customerId}`,
    () => 'PROFILE',
  ),
  /** Lookup from a normalized (lower-cased) email to its customer id. */
  customerEmail: pattern(
    'table',
    ({ email }: { email: string }) => `EMAIL#${email}`,
    () => 'CUSTOMER',
  ),
  /** A customer's records (orders, cases, payments, appointments), newest first by sort key. */
  customerRecord: pattern(
    'gsi2',
    ({ customerId }: { customerId: string }) => `CUSTOMER#${customerId}`,
    ({ createdAt, type, id }: { createdAt: string; type: string; id: string }) => `${createdAt}#${type}#${id}`,
  ),

  item: pattern(
    'table',
    ({ sku }: { sku: string }) => `ITEM#${sku}`,
    () => 'ITEM',
  ),
  /** Every item, by SKU (the catalogue). */
  itemInCatalogue: pattern(
    'gsi2',
    (_: object) => 'CATALOGUE',
    ({ sku }: { sku: string }) => sku,
  ),
  /** Sparse: present only while the item is at or below its reorder point. */
  itemLowStock: pattern(
    'gsi1',
    (_: object) => 'ITEM#LOW',
    ({ sku }: { sku: string }) => sku,
  ),

  purchaseOrder: pattern(
    'table',
    ({ purchaseOrderId }: { purchaseOrderId: string }) => `PO#${purchaseOrderId}`,
    () => 'PO',
  ),
  purchaseOrderByStatus: pattern(
    'gsi1',
    ({ status }: { status: PurchaseOrderStatus }) => `PO#STATUS#${status}`,
    ({ createdAt, purchaseOrderId }: { createdAt: string; purchaseOrderId: string }) =>
      `${createdAt}#${purchaseOrderId}`,
  ),

  invoice: pattern(
    'table',
    ({ invoiceId }: { invoiceId: string }) => `INVOICE#${invoiceId}`,
    () => 'INVOICE',
  ),
  /** Invoices by status, by due date: open invoices, AR aging. */
  invoiceByStatus: pattern(
    'gsi1',
    ({ status }: { status: InvoiceStatus }) => `INVOICE#STATUS#${status}`,
    ({ dueDate, invoiceId }: { dueDate: string; invoiceId: string }) => `${dueDate}#${invoiceId}`,
  ),

  journalEntry: pattern(
    'table',
    ({ entryId }: { entryId: string }) => `JOURNAL#${entryId}`,
    () => 'ENTRY',
  ),
  /** Journal entries by the UTC day they were posted: ledger listing, reports. */
  journalByDay: pattern(
    'gsi3',
    ({ day }: { day: string }) => `JOURNAL#DAY#${day}`,
    ({ postedAt, entryId }: { postedAt: string; entryId: string }) => `${postedAt}#${entryId}`,
    (entry: { postedAt: string; entryId: string }) => ({ day: dayOf(entry.postedAt), ...entry }),
  ),

  /** Audit events of one entity, oldest first; `eventId` keeps two events in one millisecond apart. */
  auditEvent: pattern(
    'table',
    ({ entityId }: { entityId: string }) => `${AUDIT_KEY_PREFIX}${entityId}`,
    ({ at, eventId }: { at: string; eventId: string }) => `${at}#${eventId}`,
  ),
  /**
   * An actor's audit events (gsi2, as an owner's records), oldest first: `GET /v1/audit?actor=&from&to` reads a
   * window of it. Written with every event, so each event costs one more index write.
   */
  auditEventByActor: pattern(
    'gsi2',
    ({ actor }: { actor: string }) => `AUDIT#ACTOR#${actor}`,
    ({ at, eventId }: { at: string; eventId: string }) => `${at}#${eventId}`,
  ),

  // Support and IT
  /** A case or IT ticket; its history lines and its assignment share the partition (one Query reads them all). */
  desk: pattern(
    'table',
    ({ kind, id }: Desk & { id: string }) => `${DESK_PREFIX[kind]}#${id}`,
    ({ kind }: Desk) => DESK_PREFIX[kind],
  ),
  /** One line of a record's history, in write order (same partition as the record). */
  deskHistory: pattern(
    'table',
    ({ kind, id }: Desk & { id: string }) => `${DESK_PREFIX[kind]}#${id}`,
    ({ version, line }: { version: number; line: number }) => historySk(version, line),
  ),
  /** The assignment item of an assigned record (same partition as the record). */
  deskAssignment: pattern(
    'table',
    ({ kind, id }: Desk & { id: string }) => `${DESK_PREFIX[kind]}#${id}`,
    () => 'ASSIGNMENT',
  ),
  /** Records in a status, most urgent first (`rank` 0 = urgent), then oldest first. */
  deskByStatus: pattern(
    'gsi1',
    ({ kind, status }: Desk & { status: DeskStatus }) => `${DESK_PREFIX[kind]}#STATUS#${status}`,
    ({ rank, createdAt, id }: { rank: number; createdAt: string; id: string }) => `${rank}#${createdAt}#${id}`,
  ),
  /** An assignee's assignment items (gsi1), by status then urgency. */
  deskByAssignee: pattern(
    'gsi1',
    ({ kind, assignee }: Desk & { assignee: string }) => `${DESK_PREFIX[kind]}#ASSIGNEE#${assignee}`,
    ({ status, rank, createdAt, id }: { status: DeskStatus; rank: number; createdAt: string; id: string }) =>
      `${status}#${rank}#${createdAt}#${id}`,
  ),
  /** Records submitted on a UTC day, and the resolutions and SLA breaches of that day (support-daily report). */
  deskByDay: pattern(
    'gsi3',
    ({ kind, day }: Desk & { day: string }) => `${DESK_PREFIX[kind]}#DAY#${day}`,
    ({ kind, createdAt, id }: Desk & { createdAt: string; id: string }) => `${createdAt}#${DESK_PREFIX[kind]}#${id}`,
    (record: Desk & { createdAt: string; id: string }) => ({ day: dayOf(record.createdAt), ...record }),
  ),
  /** A history line on its day's partition of the by-day index (same partition as `deskByDay`). */
  deskHistoryByDay: pattern(
    'gsi3',
    ({ kind, day }: Desk & { day: string }) => `${DESK_PREFIX[kind]}#DAY#${day}`,
    ({ at, id, version, line }: { at: string; id: string; version: number; line: number }) =>
      `${at}#${historySk(version, line)}#${id}`,
    (line: Desk & { at: string; id: string; version: number; line: number }) => ({ day: dayOf(line.at), ...line }),
  ),
  /**
   * Sparse due-time index (gsi4): present only while the SLA monitor has something pending for the record (triage,
   * a deadline, closing), sorted by when; the monitor reads `gsi4sk <= now` on every shard and nothing else.
   */
  slaDue: pattern(
    'gsi4',
    ({ shard }: { shard: number }) => `SLA#DUE#${shard}`,
    ({ kind, dueAt, id }: Desk & { dueAt: string; id: string }) => `${dueAt}#${DESK_PREFIX[kind]}#${id}`,
    (record: Desk & { dueAt: string; id: string }) => ({ shard: shardOf(record.id), ...record }),
  ),

  // Reports
  /** The stored report of one type and period (`sales-daily`, `2026-11-23`); a regeneration overwrites it. */
  report: pattern(
    'table',
    ({ type, period }: { type: string; period: string }) => `REPORT#${type}#${period}`,
    () => 'REPORT',
  ),

  // Money
  /**
   * One of the ledger's balance shards (`0 … LEDGER_BALANCE_SHARDS − 1`). Every journal entry adds its lines to one
   * shard, chosen from its id, in its own transaction; the shards together are the current account balances.
   */
  ledgerBalanceShard: pattern(
    'table',
    (_: object) => 'LEDGER#BALANCE',
    ({ shard }: { shard: number }) => `SHARD#${String(shard).padStart(2, '0')}`,
  ),
  /** The stored closing balances of one UTC day; all closings share a partition, sorted by day. */
  ledgerClosing: pattern(
    'table',
    (_: object) => 'LEDGER#CLOSING',
    ({ day }: { day: string }) => day,
  ),

  payment: pattern(
    'table',
    ({ paymentId }: { paymentId: string }) => `PAYMENT#${paymentId}`,
    () => 'PAYMENT',
  ),
  /** Payments by status, oldest first: the sweeper re-queues those still `RECEIVED`. */
  paymentByStatus: pattern(
    'gsi1',
    ({ status }: { status: PaymentStatus }) => `PAYMENT#STATUS#${status}`,
    ({ createdAt, paymentId }: { createdAt: string; paymentId: string }) => `${createdAt}#${paymentId}`,
  ),
  /** Payments by the UTC day they were received: reports. */
  paymentByDay: pattern(
    'gsi3',
    ({ day }: { day: string }) => `PAYMENT#DAY#${day}`,
    ({ createdAt, paymentId }: { createdAt: string; paymentId: string }) => `${createdAt}#${paymentId}`,
    (payment: { createdAt: string; paymentId: string }) => ({ day: dayOf(payment.createdAt), ...payment }),
  ),

  // HR
  employee: pattern(
    'table',
    ({ employeeId }: { employeeId: string }) => `EMPLOYEE#${employeeId}`,
    () => 'EMPLOYEE',
  ),
  /**
   * The uniqueness item of an email among current staff (lower-cased): created with the employee in one transaction
   * (condition: it does not exist), so a second hire with the address fails; termination will release it.
   */
  employeeEmail: pattern(
    'table',
    ({ email }: { email: string }) => `EMPLOYEE#EMAIL#${email}`,
    () => 'EMPLOYEE_EMAIL',
  ),
  /** Employees in a status, by department then hiring order (ids are ULIDs); `<department>#` narrows to one. */
  employeeByStatus: pattern(
    'gsi1',
    ({ status }: { status: EmployeeStatus }) => `EMPLOYEE#STATUS#${status}`,
    ({ department, employeeId }: { department: string; employeeId: string }) => `${department}#${employeeId}`,
  ),
  /**
   * Employees with a last day, by that day (sparse: written only once a termination sets `lastDay`). A payroll run
   * for a period reads the leavers whose last day is on or after the period's first day here, so its cost follows
   * the leavers since then, never every employee who ever left.
   */
  employeeByLastDay: pattern(
    'gsi3',
    (_: object) => 'EMPLOYEE#LASTDAY',
    ({ lastDay, employeeId }: { lastDay: string; employeeId: string }) => `${lastDay}#${employeeId}`,
  ),

  /**
   * A payroll run of one month (`YYYY-MM`); its lines item shares the partition, so one Query reads a run with its
   * lines, and a list of runs (which reads the run items through `payrollRunInList`) never reads the lines.
   */
  payrollRun: pattern(
    'table',
    ({ period }: { period: string }) => `PAYROLL#${period}`,
    () => 'RUN',
  ),
  /** The lines of a completed run, written once with its completion (same partition as the run). */
  payrollRunLines: pattern(
    'table',
    ({ period }: { period: string }) => `PAYROLL#${period}`,
    () => 'LINES',
  ),
  /** Payroll runs in a status, oldest request first: the sweeper re-queues those still `PENDING`. */
  payrollRunByStatus: pattern(
    'gsi1',
    ({ status }: { status: PayrollRunStatus }) => `PAYROLL#STATUS#${status}`,
    ({ requestedAt, period }: { requestedAt: string; period: string }) => `${requestedAt}#${period}`,
  ),
  /** Every payroll run, by period (read newest first): the list of runs. */
  payrollRunInList: pattern(
    'gsi2',
    (_: object) => 'PAYROLL#RUNS',
    ({ period }: { period: string }) => period,
  ),
  // Appointments
  appointment: pattern(
    'table',
    ({ appointmentId }: { appointmentId: string }) => `APPOINTMENT#${appointmentId}`,
    () => 'APPOINTMENT',
  ),
  /**
   * One 15-minute slot of a resource held by a booking (`slotStart` canonical ISO). Created with the appointment in
   * one transaction, condition "does not exist", so two bookings covering one slot can never both commit; deleted
   * in the cancellation's transaction. Its own partition per slot: bookings of one resource never share a hot key.
   */
  appointmentSlot: pattern(
    'table',
    ({ resourceId, slotStart }: { resourceId: string; slotStart: string }) =>
      `APPOINTMENT#SLOT#${resourceId}#${slotStart}`,
    () => 'SLOT',
  ),
  /** A resource's appointments by start (gsi1, as an agent's assignments), cancelled ones included. */
  appointmentByResource: pattern(
    'gsi1',
    ({ resourceId }: { resourceId: string }) => `APPOINTMENT#RESOURCE#${resourceId}`,
    ({ start, appointmentId }: { start: string; appointmentId: string }) => `${start}#${appointmentId}`,
  ),
  /** Appointments by the UTC day they start (gsi3): today's summary. */
  appointmentByDay: pattern(
    'gsi3',
    ({ day }: { day: string }) => `APPOINTMENT#DAY#${day}`,
    ({ start, appointmentId }: { start: string; appointmentId: string }) => `${start}#${appointmentId}`,
    (appointment: { start: string; appointmentId: string }) => ({ day: dayOf(appointment.start), ...appointment }),
  ),
  /** A bookable resource with its weekly opening hours. */
  appointmentResource: pattern(
    'table',
    ({ resourceId }: { resourceId: string }) => `RESOURCE#${resourceId}`,
    () => 'RESOURCE',
  ),
  /** Every declared resource, by id (gsi2, as the catalogue). */
  appointmentResourceList: pattern(
    'gsi2',
    (_: object) => 'APPOINTMENT#RESOURCES',
    ({ resourceId }: { resourceId: string }) => resourceId,
  ),

  // Documents
  /** A document's metadata (its bytes are an S3 object keyed by the document id, never by the file name). */
  document: pattern(
    'table',
    ({ documentId }: { documentId: string }) => `DOCUMENT#${documentId}`,
    () => 'DOCUMENT',
  ),
  /** An entity's documents in upload order (gsi2, by owner, as a customer's records). */
  documentByEntity: pattern(
    'gsi2',
    ({ entityId }: { entityId: string }) => `DOCUMENT#ENTITY#${entityId}`,
    ({ createdAt, documentId }: { createdAt: string; documentId: string }) => `${createdAt}#${documentId}`,
  ),
  /**
   * Sparse: present only while a document is `PENDING`, by creation time (gsi1, by status), so the expiry job reads
   * the documents declared before its cutoff and nothing else.
   */
  documentPending: pattern(
    'gsi1',
    (_: object) => 'DOCUMENT#PENDING',
    ({ createdAt, documentId }: { createdAt: string; documentId: string }) => `${createdAt}#${documentId}`,
  ),
};

/** Every SLA due-time shard, for the monitor's parallel reads. */
export const SLA_DUE_SHARD_NUMBERS: readonly number[] = Array.from({ length: SLA_DUE_SHARDS }, (_, shard) => shard);
