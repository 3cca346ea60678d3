/**
 * Money is integer minor units (cents). Every division rounds half up and is done in BigInt, so no amount ever
 * passes through a binary float and the 1200 Inventory account can equal the sum of the items' stock values to the
 * cent (docs/contract.md#orders-and-inventory). The rules are written down in docs/decisions.md.
 */

import { InvalidInputError } from '#shared/errors.ts';

/** Largest unit price or unit cost accepted, in cents (10 million in currency units). */
export const MAX_UNIT_CENTS = 1_000_000_000;

/**
 * Raised when an amount would leave the range JavaScript numbers hold exactly. It is bad input, not a crash: an
 * HTTP caller gets a 400 naming the amount.
 */
export class AmountOutOfRangeError extends InvalidInputError {
  override name = 'AmountOutOfRangeError';
}

/** A non-negative integer of cents as a BigInt, refusing fractions and unsafe numbers. */
function big(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) throw new AmountOutOfRangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** Back to a number, refusing anything JavaScript cannot represent exactly. */
export function toSafeNumber(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new AmountOutOfRangeError(`${what} is out of range: ${value}`);
  }
  return Number(value);
}

/** `round_half_up(numerator / denominator)` for a non-negative numerator and a positive denominator. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must not be negative');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** `a × b` in cents, checked to stay exact. */
export function multiplyCents(a: number, b: number): number {
  return toSafeNumber(big(a, 'factor') * big(b, 'factor'), 'product');
}

/** The sum of amounts in cents, checked to stay exact. */
export function sumCents(amounts: readonly number[]): number {
  return toSafeNumber(
    amounts.reduce((total, amount) => total + big(amount, 'amount'), 0n),
    'sum',
  );
}

/**
 * The stock value removed when `quantity` of `onHand` units leave (sale, negative adjustment) at moving weighted
 * average cost: `round_half_up(stockValueCents × quantity / onHand)`, or all of it when every unit leaves, so the
 * value of an empty shelf is exactly zero.
 */
export function costOfUnitsRemoved(stockValueCents: number, onHand: number, quantity: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new RangeError('quantity must be a positive integer');
  if (quantity > onHand) throw new RangeError(`cannot remove ${quantity} of ${onHand} units`);
  if (quantity === onHand) return stockValueCents;
  return toSafeNumber(
    divideRoundHalfUp(big(stockValueCents, 'stock value') * big(quantity, 'quantity'), big(onHand, 'on hand')),
  );
}

/** The unit cost an item reads as: `round_half_up(stockValueCents / onHand)`, or `fallbackCents` with no stock. */
export function averageUnitCost(stockValueCents: number, onHand: number, fallbackCents: number): number {
  if (onHand <= 0) return fallbackCents;
  return toSafeNumber(divideRoundHalfUp(big(stockValueCents, 'stock value'), big(onHand, 'on hand')));
}
