import { randomBytes } from 'node:crypto';

/**
 * Ids are opaque strings (docs/contract.md#conventions) with a short type prefix (`ord_`, `inv_`) so a support engineer
 * reading a log line knows what an id names. The body is a ULID (48-bit millisecond time + 80 random bits, Crockford
 * base32), so ids minted later sort later, which keeps time-ordered sort keys readable without coordination.
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
  employee: 'emp',
  appointment: 'apt',
  document: 'doc',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const RANDOM_BITS = 80n;

/** The last id minted by this process, so that ids minted in one millisecond still sort in the order they were. */
let last = { time: -1, random: 0n };

/**
 * A ULID for the given instant: 10 characters of time, 16 of randomness. Within one millisecond of one process the
 * random part counts up from the first id's (the ULID spec's monotonic mode), so two audit events or history lines
 * written in the same millisecond read back in the order they happened, not in a random one.
 */
export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let bits = now === last.time && last.random + 1n < 1n << RANDOM_BITS ? last.random + 1n : freshRandom();
  last = { time: now, random: bits };
  let random = '';
  for (let i = 0; i < 16; i++) {
    random = CROCKFORD[Number(bits & 31n)]! + random;
    bits >>= 5n;
  }
  return time + random;
}

function freshRandom(): bigint {
  let bits = 0n;
  for (const byte of randomBytes(10)) bits = (bits << 8n) | BigInt(byte);
  return bits;
}

/** A new id of the given kind: `ord_01J9Z...`. */
export function newId(kind: IdKind, now?: number): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}
