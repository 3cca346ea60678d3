import { randomBytes } from 'node:crypto';

/**
 * Ids are opaque strings (SPEC §3) with a short type prefix (`ord_`, `inv_`) so a support engineer reading a log
 * line knows what an id names. The body is a ULID (48-bit millisecond time + 80 random bits, Crockford base32), so
 * ids minted later sort later, which keeps time-ordered sort keys readable without coordination.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ID_PREFIXES = {
  order: 'ord',
  customer: 'cus',
  invoice: 'inv',
  journalEntry: 'je',
  purchaseOrder: 'po',
  auditEvent: 'evt',
  receipt: 'rcv',
  adjustment: 'adj',
  case: 'cas',
  ticket: 'tkt',
  payment: 'pay',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** A ULID for the given instant: 10 characters of time, 16 of randomness. */
export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let random = '';
  for (let i = 0; i < 16; i++) {
    random = CROCKFORD[Number(bits & 31n)]! + random;
    bits >>= 5n;
  }
  return time + random;
}

/** A new id of the given kind: `ord_01J9Z...`. */
export function newId(kind: IdKind, now?: number): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}
