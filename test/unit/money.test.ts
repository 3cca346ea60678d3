import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AmountOutOfRangeError,
  averageUnitCost,
  costOfUnitsRemoved,
  divideRoundHalfUp,
  multiplyCents,
  sumCents,
  toSafeNumber,
} from '#shared/domain/money.ts';
import { errorToResponse } from '#shared/http/problem.ts';

describe('moving weighted average cost', () => {
  it('removes stock value in proportion to the units taken, rounding half up', () => {
    expect(costOfUnitsRemoved(1000, 3, 1)).toBe(333); // 333.33
    expect(costOfUnitsRemoved(1000, 3, 2)).toBe(667); // 666.67
    expect(costOfUnitsRemoved(5, 2, 1)).toBe(3); // 2.5 rounds up
    expect(costOfUnitsRemoved(7, 4, 1)).toBe(2); // 1.75
    expect(costOfUnitsRemoved(1, 4, 1)).toBe(0); // 0.25
  });

  it('removes all of the stock value when every unit leaves', () => {
    expect(costOfUnitsRemoved(1001, 3, 3)).toBe(1001);
    expect(costOfUnitsRemoved(0, 5, 5)).toBe(0);
  });

  it('refuses to remove more units than are on hand, or none', () => {
    expect(() => costOfUnitsRemoved(100, 2, 3)).toThrow(RangeError);
    expect(() => costOfUnitsRemoved(100, 2, 0)).toThrow(RangeError);
  });

  it('stays exact where a float product would lose cents', () => {
    const stockValue = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER
    expect(costOfUnitsRemoved(stockValue, 3, 1)).toBe(3_002_399_751_580_330); // exactly ...330.33
  });

  it('empties to exactly zero whatever the sequence of removals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (initialValue, chunks) => {
          let onHand = chunks.reduce((a, b) => a + b, 0);
          let value = initialValue;
          let removed = 0;
          for (const chunk of chunks) {
            const cost = costOfUnitsRemoved(value, onHand, chunk);
            expect(cost).toBeGreaterThanOrEqual(0);
            expect(cost).toBeLessThanOrEqual(value);
            value -= cost;
            onHand -= chunk;
            removed += cost;
          }
          expect(value).toBe(0);
          expect(removed).toBe(initialValue);
        },
      ),
    );
  });

  it('reads the unit cost as the rounded average, or the last cost with nothing on hand', () => {
    expect(averageUnitCost(1000, 3, 99)).toBe(333);
    expect(averageUnitCost(1001, 2, 99)).toBe(501); // 500.5 rounds up
    expect(averageUnitCost(0, 0, 99)).toBe(99);
  });
});

describe('cent arithmetic', () => {
  it('divides rounding half up', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
  });

  it('refuses products and sums that JavaScript numbers cannot hold exactly', () => {
    expect(multiplyCents(10_000, 1_000_000_000)).toBe(10_000_000_000_000);
    expect(() => multiplyCents(Number.MAX_SAFE_INTEGER, 2)).toThrow(AmountOutOfRangeError);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(AmountOutOfRangeError);
    expect(() => multiplyCents(1.5, 2)).toThrow(AmountOutOfRangeError);
  });
});

describe('amounts out of range', () => {
  it('are bad input, answered as a 400 problem rather than a crash', () => {
    let caught: unknown;
    try {
      toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'stockValueCents');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AmountOutOfRangeError);
    expect(errorToResponse(caught).response.statusCode).toBe(400);
  });
});
