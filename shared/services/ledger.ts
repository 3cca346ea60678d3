import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '#shared/keys.ts';
import {
  addBalances,
  addLines,
  emptyBalances,
  trialBalanceOf,
  type Balances,
  type TrialBalance,
} from '#shared/domain/balances.ts';
import { closingBalances, makeLedgerStore, type ShardState } from '#shared/data/ledger.ts';
import { makeJournal, type JournalEntry } from '#shared/data/journal.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { decodeCursor, encodeCursor, type Page } from '#shared/data/pagination.ts';
import { withConcurrencyRetry, type TransactItem } from '#shared/data/transact.ts';
import type { ManualEntry } from '#shared/domain/accounting.ts';
import { InvalidCursorError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import { withRemember, writeOrRetry, type Remember } from '#shared/services/write.ts';
import { logger } from '#shared/platform/observability.ts';

export interface LedgerDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

const MS_PER_DAY = 86_400_000;

/** The UTC day `days` after `day`. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The last millisecond of a UTC day. */
function endOfDay(day: string): string {
  return `${day}T23:59:59.999Z`;
}

/**
 * Most days a trial balance may roll forward through the journal from an earlier closing when the closing of the
 * day asked for is missing (the closing job never leaves gaps; this only bounds the repair path).
 */
export const MAX_ROLL_FORWARD_DAYS = 31;

/** Most days one run of the closing job closes (catch-up after an outage); the next run goes on. */
export const MAX_DAYS_CLOSED_PER_RUN = 400;

/** Most day partitions one page of `GET /v1/ledger/entries` reads. */
export const MAX_DAYS_PER_PAGE = 31;

/** Sum of the running totals of every shard: the balances now. */
function currentOf(shards: readonly ShardState[]): Balances {
  const total = emptyBalances();
  for (const shard of shards) addBalances(total, shard.current);
  return total;
}

/**
 * The closing of `day` computed from the shards: each shard's running totals less its movements of the days after
 * `day`. Exact as long as no day after `day` has been pruned, i.e. `day` is on or after the latest stored closing.
 */
function closingFromShards(shards: readonly ShardState[], day: string): Balances {
  const total = emptyBalances();
  for (const shard of shards) {
    addBalances(total, shard.current);
    for (const [movedOn, movement] of shard.movements) if (movedOn > day) addBalances(total, movement, -1n);
  }
  return total;
}

/** The earliest day any shard still holds movements of. */
function earliestMovementDay(shards: readonly ShardState[]): string | undefined {
  let earliest: string | undefined;
  for (const shard of shards)
    for (const day of shard.movements.keys()) if (earliest === undefined || day < earliest) earliest = day;
  return earliest;
}

export interface CloseOutcome {
  /** Days whose closing this run stored, oldest first. */
  closed: string[];
  /** The last day closed after this run (this run's or an earlier one's), if any. */
  closedThrough: string | undefined;
  /** True when the per-run cap stopped it before `through`; the next run continues. */
  capped: boolean;
}

/**
 * The ledger's balances (docs/contract.md#accounting, #guarantees): the trial balance at any instant, the daily
 * closings that keep a past day's trial balance one read away, and the entries by posting day. Reading a trial balance
 * never costs more as the journal grows: today's reads the 16 balance shards, a past day's reads its stored closing.
 */
export function makeLedgerService({ doc, tableName, now = () => new Date() }: LedgerDeps) {
  const store = makeLedgerStore({ doc, tableName });
  const journal = makeJournal({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /** Σ of the journal entries posted on `day`, optionally only those posted at or before `until` (ISO instant). */
  async function entriesOfDay(day: string, until?: string): Promise<Balances> {
    const total = emptyBalances();
    const range = until !== undefined ? { before: `${until}#~` } : {};
    for await (const entry of journal.byDay.all({ day }, range)) addLines(total, entry.lines);
    return total;
  }

  /**
   * The balances at the end of a past UTC day: its stored closing (one read); else, when the day is after the last
   * closing (the job has not run yet), from the shards; else, before the first closing, nothing had been posted;
   * else (a closing missing in the middle, which the job never leaves) rolled forward from the closing before it
   * through at most `MAX_ROLL_FORWARD_DAYS` days of the journal.
   */
  async function balancesAtEndOf(day: string): Promise<Balances> {
    const stored = await store.getClosing(day);
    if (stored) return closingBalances(stored);
    const latest = await store.latestClosing();
    if (!latest || latest.day < day) return closingFromShards(await store.readShards(), day);
    const before = await store.closingOnOrBefore(day);
    if (!before) return emptyBalances();
    const gap = Math.round((Date.parse(day) - Date.parse(before.day)) / MS_PER_DAY);
    if (gap > MAX_ROLL_FORWARD_DAYS) {
      throw new Error(
        `The ledger closing of ${day} is missing and the nearest earlier one (${before.day}) is ${gap} days before it`,
      );
    }
    logger.warn('ledger closing missing; rolling forward from an earlier one', { day, from: before.day });
    const balances = closingBalances(before);
    for (let d = shiftDay(before.day, 1); d <= day; d = shiftDay(d, 1)) addBalances(balances, await entriesOfDay(d));
    return balances;
  }

  /**
   * The trial balance at an instant (docs/contract.md#accounting): at or after now, the shards' running totals; at the
   * end of a past day, that day's closing; at any other past instant, the closing of the day before plus that day's
   * entries up to the instant (one day of the journal at most). Without `asOf`, now: the caller must not take its own
   * clock reading for that, because one taken a millisecond before this service's is in the past and costs a closing
   * read and a day of the journal instead of the shards.
   */
  async function trialBalance(asOf?: Date): Promise<TrialBalance> {
    const current = now();
    if (!asOf || asOf.getTime() >= current.getTime()) {
      return trialBalanceOf(currentOf(await store.readShards()), (asOf ?? current).toISOString());
    }
    const at = asOf.toISOString();
    const day = dayOf(at);
    if (at === endOfDay(day)) return trialBalanceOf(await balancesAtEndOf(day), at);
    const balances = await balancesAtEndOf(shiftDay(day, -1));
    addBalances(balances, await entriesOfDay(day, at));
    return trialBalanceOf(balances, at);
  }

  /**
   * The `ledger-close` job: stores the closing of every day not yet closed up to `through` (yesterday by default),
   * oldest first, then prunes those days' movements from the shards so the shards stay small. The first run starts
   * from the earliest day the shards hold movements of (the ledger's first day). Running it again changes nothing; two
   * runs at once store each closing once (the put is conditional).
   */
  async function closeLedger(options: { through?: string } = {}): Promise<CloseOutcome> {
    const today = dayOf(now().toISOString());
    const through = options.through ?? shiftDay(today, -1);
    if (through >= today) throw new RangeError(`Only a day before today (${today}) can be closed, not ${through}`);
    const latest = await store.latestClosing();
    const shards = await store.readShards();
    const start = latest ? shiftDay(latest.day, 1) : earliestMovementDay(shards);
    const closed: string[] = [];
    let last = latest?.day;
    let capped = false;
    if (start !== undefined) {
      const closedAt = now().toISOString();
      for (let day = start; day <= through; day = shiftDay(day, 1)) {
        if (closed.length >= MAX_DAYS_CLOSED_PER_RUN) {
          capped = true;
          break;
        }
        if (await store.putClosing(day, closingFromShards(shards, day), closedAt)) closed.push(day);
        last = day;
      }
    }
    if (last !== undefined) {
      const closedDay = last;
      for (const shard of shards) {
        const prunable = [...shard.movements.keys()].filter((day) => day <= closedDay);
        await store.pruneMovements(shard, prunable);
      }
    }
    return { closed, closedThrough: last, capped };
  }

  /**
   * Posts a manual journal entry (`POST /v1/ledger/entries`), already checked by `manualEntrySchema`, with its audit
   * event and, through `remember`, the idempotency record, in one transaction (the entry's balance-shard update
   * included, like every posting).
   */
  async function postManualEntry(
    input: ManualEntry,
    context: { actor: string; remember?: Remember<JournalEntry> },
  ): Promise<JournalEntry> {
    const entryId = newId('journalEntry');
    const at = now().toISOString();
    const entry: JournalEntry = {
      entity: 'journalEntry',
      entryId,
      postedAt: at,
      memo: input.memo,
      source: { type: 'manual', id: entryId },
      lines: input.lines.map((line) => ({
        account: line.account,
        debitCents: line.debitCents,
        creditCents: line.creditCents,
      })),
    };
    const tx: TransactItem[] = [
      ...journal.entryItems(entry),
      audit.eventItem({
        actor: context.actor,
        action: 'journalEntry.posted',
        entityType: 'journalEntry',
        entityId: entryId,
        at,
        changes: ['memo', 'lines'],
      }),
    ];
    // Only a collision on the balance shard can fail it (TransactionConflict): the same write is simply retried.
    const rememberIndex = withRemember(tx, context.remember, entry);
    await withConcurrencyRetry(() => writeOrRetry(doc, tx, rememberIndex));
    return entry;
  }

  /**
   * One page of the entries posted between two instants, oldest first, across the UTC-day partitions of the journal
   * (`GET /v1/ledger/entries`). The cursor names the day to go on from and, within it, DynamoDB's last key; it is
   * signed together with the range, so it opens no other list. A page reads at most `MAX_DAYS_PER_PAGE` day
   * partitions, so a long range of quiet days answers a short page with a cursor rather than one slow request.
   */
  async function listEntries(
    range: { from: Date; to: Date },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<JournalEntry>> {
    const from = range.from.toISOString();
    const to = range.to.toISOString();
    const scope = `ledger-entries:${from}:${to}`;
    const lastDay = dayOf(to);
    const position = await decodeCursor(page.cursor, scope);
    let day = typeof position?.day === 'string' ? position.day : dayOf(from);
    if (day < dayOf(from) || day > lastDay) {
      throw new InvalidCursorError();
    }
    let startKey: Record<string, unknown> | undefined = position ? withoutDay(position) : undefined;
    const items: JournalEntry[] = [];
    for (let daysRead = 0; day <= lastDay;) {
      if (daysRead >= MAX_DAYS_PER_PAGE) return { items, nextCursor: await encodeCursor({ day }, scope) };
      const result = await journal.journalEntriesBetween(day, { from, to }, page.limit - items.length, startKey);
      daysRead += 1;
      items.push(...result.entries);
      if (result.lastKey) {
        if (items.length >= page.limit)
          return {
            items,
            nextCursor: await encodeCursor({ day, ...(result.lastKey as Record<string, string>) }, scope),
          };
        startKey = result.lastKey;
        continue;
      }
      day = shiftDay(day, 1);
      startKey = undefined;
      if (items.length >= page.limit) break;
    }
    return { items, nextCursor: day <= lastDay ? await encodeCursor({ day }, scope) : null };
  }

  return { trialBalance, closeLedger, balancesAtEndOf, postManualEntry, listEntries };
}

/** The DynamoDB start key inside a ledger cursor (everything but the day), if it has one. */
function withoutDay(position: Record<string, string | number>): Record<string, unknown> | undefined {
  const { day: _day, ...key } = position;
  return Object.keys(key).length > 0 ? key : undefined;
}

export type LedgerService = ReturnType<typeof makeLedgerService>;

/**
 * The trial balance at `asOf` (docs/contract.md#accounting): what `GET /v1/ledger/trial-balance` answers and what the
 * finance-daily report holds. A bare date means the end of that UTC day (`new Date('2026-11-23T23:59:59.999Z')`).
 */
export function trialBalance(deps: LedgerDeps, asOf: Date): Promise<TrialBalance> {
  return makeLedgerService(deps).trialBalance(asOf);
}
