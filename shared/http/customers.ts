import type { CustomerRecordRef } from '#shared/data/customers.ts';

/** Summary fields a timeline entry shows when its record has them (no personal data, no free text). */
const SUMMARY_FIELDS = [
  'status',
  'category',
  'priority',
  'subject',
  'orderId',
  'invoiceId',
  'totalCents',
  'amountCents',
  'currency',
  'method',
  'resourceId',
  'start',
  'end',
] as const;

export interface TimelineEntry {
  /** What the record is, from its timeline key: `order`, `case`, `payment`, `appointment`. */
  type: string;
  id: string;
  createdAt: string;
  [field: string]: unknown;
}

/**
 * One line of a customer's timeline (`GET /v1/customers/{customerId}/timeline`, README, Routes), from whatever record
 * carries the customer's timeline key (`keys.customerRecord`: `<createdAt>#<TYPE>#<id>`), so a new kind of record
 * (payments, appointments) shows up without changes here. Only summary fields are shown; the record's own route has
 * the rest.
 */
export function timelineEntryView(record: CustomerRecordRef): TimelineEntry {
  const [createdAt = '', type = '', ...idParts] = record.timelineKey.split('#');
  const entry: TimelineEntry = { type: type.toLowerCase(), id: idParts.join('#'), createdAt };
  for (const field of SUMMARY_FIELDS)
    if (record[field] !== undefined && record[field] !== entry.id) entry[field] = record[field];
  return entry;
}
