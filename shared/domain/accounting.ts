import * as z from 'zod';
import { ACCOUNTS, type AccountCode } from '#shared/domain/ledger.ts';
import { isAccountCode } from '#shared/domain/balances.ts';

/** Largest amount on one line of a manual entry; a hundred such lines still add up exactly. */
export const MAX_LINE_CENTS = 10 ** 13;
export const MAX_MANUAL_LINES = 100;

const chart = Object.keys(ACCOUNTS).join(', ');

const manualLineSchema = z.object({
  account: z.string().refine(isAccountCode, `Must be an account of the chart: ${chart}`),
  // The side a line does not use may be left out: `{"account":"1000","debitCents":500}` is a debit of 500.
  debitCents: z.number().int().min(0).max(MAX_LINE_CENTS).default(0),
  creditCents: z.number().int().min(0).max(MAX_LINE_CENTS).default(0),
});

const manualFieldsSchema = z.object({
  memo: z.string().trim().min(1).max(200),
  lines: z.array(manualLineSchema).min(2).max(MAX_MANUAL_LINES),
});

const amount = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_LINE_CENTS ? value : undefined;

/**
 * The double-entry rules of a manual entry, read from the raw input beside the field schema (an intersection, as
 * for an order's distinct SKUs) so every broken rule is listed in the same answer as every bad field: each line has
 * exactly one positive side (`lines.N`), and debits equal credits (`lines`) — checked when every amount is valid.
 */
const doubleEntrySchema = z.unknown().transform((input, ctx) => {
  const lines = (input as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return {};
  let debits = 0n;
  let credits = 0n;
  let allValid = true;
  lines.forEach((line: unknown, index) => {
    const debit = amount((line as { debitCents?: unknown } | null)?.debitCents ?? 0);
    const credit = amount((line as { creditCents?: unknown } | null)?.creditCents ?? 0);
    if (debit === undefined || credit === undefined) {
      allValid = false;
      return;
    }
    if (debit > 0 === credit > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index],
        message: 'Exactly one of debitCents and creditCents must be positive',
      });
    }
    debits += BigInt(debit);
    credits += BigInt(credit);
  });
  if (allValid && lines.length > 0 && debits !== credits) {
    ctx.addIssue({
      code: 'custom',
      path: ['lines'],
      message: `The entry does not balance: debits ${debits}, credits ${credits}`,
    });
  }
  return {};
});

/**
 * `POST /v1/ledger/entries` (docs/contract.md#accounting): a manual journal entry, at least two lines, balanced, known
 * accounts.
 */
export const manualEntrySchema = manualFieldsSchema.and(doubleEntrySchema);
export type ManualEntry = {
  memo: string;
  lines: { account: AccountCode; debitCents: number; creditCents: number }[];
};
