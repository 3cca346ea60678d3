import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { queryInput } from '#shared/data/query.ts';
import * as z from 'zod';
import { LEDGER_BALANCE_SHARDS, dayOf, keys } from '#shared/keys.ts';
import type { JournalLine } from '#shared/domain/ledger.ts';
import {
  addTo,
  emptyBalances,
  entryTotals,
  fromStored,
  isAccountCode,
  toStored,
  type Balances,
  type StoredBalances,
} from '#shared/domain/balances.ts';
import type { TransactItem } from '#shared/data/transact.ts';
import { isConditionFailure, withConcurrencyRetry } from '#shared/data/transact.ts';
import { ConcurrencyError } from '#shared/errors.ts';

/**
 * The ledger's stored balances (docs/contract.md#guarantees, docs/decisions.md "Money").
 *
 * Balance shards: `LEDGER#BALANCE` / `SHARD#00` … `SHARD#15`. Each journal entry adds its lines to ONE shard (picked
 * from its entry id) with one `ADD` in the entry's own transaction, so the balances are never behind the journal and
 * no single item takes every posting. A shard holds, per account, the running sums `d<code>` / `c<code>` and the same
 * sums per UTC posting day `d<code>@<day>` / `c<code>@<day>` for the days not yet closed. Because an entry touches one
 * shard and one item is read atomically, every read of a shard sees each entry wholly or not at all, and
 * `current − movements of the days after D` is exactly the shard's closing of day D, however many entries land while
 * the closing job reads.
 *
 * Closings: `LEDGER#CLOSING` / `<day>`, the balances at the end of a day, written once by the `ledger-close` job.
 */

/** Attribute names removed per UpdateItem when pruning closed days. */
const PRUNE_BATCH = 200;

const CURRENT = /^([dc])(\d{4})$/;
const MOVEMENT = /^([dc])(\d{4})@(\d{4}-\d{2}-\d{2})$/;

/** Attribute of a shard holding one side of an account: running total, or that day's movement. */
function sideAttribute(side: 'd' | 'c', account: string, day?: string): string {
  return day === undefined ? `${side}${account}` : `${side}${account}@${day}`;
}

/** The shard an entry posts to: a hash of its (random) id, so entries spread evenly and a retry lands alike. */
export function shardOfEntry(entryId: string): number {
  let hash = 0;
  for (let i = 0; i < entryId.length; i++) hash = (hash * 31 + entryId.charCodeAt(i)) >>> 0;
  return hash % LEDGER_BALANCE_SHARDS;
}

/**
 * The one update that adds an entry's lines to its balance shard: running totals and the posting day's movements,
 * both by `ADD` (which creates the shard and the attributes on first use), no condition, so postings never contend
 * on anything but the shard item itself.
 */
export function balanceShardUpdate(
  tableName: string,
  entry: { entryId: string; postedAt: string; lines: readonly JournalLine[] },
): TransactItem {
  const day = dayOf(entry.postedAt);
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':entity': 'ledgerBalanceShard' };
  const adds: string[] = [];
  let n = 0;
  for (const [account, totals] of entryTotals(entry.lines)) {
    for (const [side, cents] of [
      ['d', totals.debitCents],
      ['c', totals.creditCents],
    ] as const) {
      if (cents === 0n) continue;
      const amount = Number(cents);
      for (const attribute of [sideAttribute(side, account), sideAttribute(side, account, day)]) {
        names[`#b${n}`] = attribute;
        values[`:b${n}`] = amount;
        adds.push(`#b${n} :b${n}`);
        n++;
      }
    }
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.ledgerBalanceShard.key({ shard: shardOfEntry(entry.entryId) }),
      UpdateExpression: `SET #entity = :entity ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** What one shard holds: its running totals and the movements of each day not yet closed. */
export interface ShardState {
  key: { pk: string; sk: string };
  current: Balances;
  movements: Map<string, Balances>;
}

/** Reads a shard item's attributes into totals (unknown attributes ignored). */
export function shardState(item: Record<string, unknown>): ShardState {
  const current = emptyBalances();
  const movements = new Map<string, Balances>();
  for (const [attribute, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    const now = CURRENT.exec(attribute);
    if (now && isAccountCode(now[2]!)) {
      addTo(current, now[2], now[1] === 'd' ? 'debit' : 'credit', BigInt(value));
      continue;
    }
    const moved = MOVEMENT.exec(attribute);
    if (moved && isAccountCode(moved[2]!)) {
      const day = moved[3]!;
      const balances = movements.get(day) ?? emptyBalances();
      addTo(balances, moved[2], moved[1] === 'd' ? 'debit' : 'credit', BigInt(value));
      movements.set(day, balances);
    }
  }
  return { key: { pk: String(item.pk), sk: String(item.sk) }, current, movements };
}

export const closingSchema = z.object({
  entity: z.literal('ledgerClosing'),
  day: z.string(),
  balances: z.record(z.string(), z.object({ debitCents: z.number().int(), creditCents: z.number().int() })),
  closedAt: z.string(),
});
export type Closing = z.infer<typeof closingSchema>;

/** Balance shards and daily closings. */
export function makeLedgerStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  const closingOf = (item: Record<string, unknown> | undefined) => (item ? closingSchema.parse(item) : undefined);

  async function firstClosing(query: { before?: string; ascending: boolean }): Promise<Closing | undefined> {
    const { Items } = await doc.send(
      new QueryCommand({
        ...queryInput(
          tableName,
          keys.ledgerClosing.query({}, { through: query.before, ascending: query.ascending, consistent: true }),
        ),
        Limit: 1,
      }),
    );
    return closingOf(Items?.[0]);
  }

  return {
    /** Every balance shard, read consistently in one Query of their partition (at most 16 small items). */
    async readShards(): Promise<ShardState[]> {
      const shards: ShardState[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            ...queryInput(tableName, keys.ledgerBalanceShard.query({}, { consistent: true })),
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) shards.push(shardState(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return shards;
    },

    /** Removes the per-day movements of the given days from a shard (once those days are closed). */
    async pruneMovements(shard: ShardState, days: readonly string[]): Promise<void> {
      const attributes: string[] = [];
      for (const day of days) {
        for (const account of shard.movements.get(day)?.keys() ?? []) {
          attributes.push(sideAttribute('d', account, day), sideAttribute('c', account, day));
        }
      }
      // A few hundred names per update keep the expression well inside DynamoDB's 4 KB limit after an outage.
      for (let start = 0; start < attributes.length; start += PRUNE_BATCH) {
        const batch = attributes.slice(start, start + PRUNE_BATCH);
        const command = new UpdateCommand({
          TableName: tableName,
          Key: shard.key,
          UpdateExpression: `REMOVE ${batch.map((_, i) => `#r${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(batch.map((attribute, i) => [`#r${i}`, attribute])),
        });
        // A posting's transaction in flight on the shard rejects a plain write with TransactionConflictException.
        await withConcurrencyRetry(async () => {
          try {
            await doc.send(command);
          } catch (error) {
            if ((error as Error)?.name === 'TransactionConflictException')
              throw new ConcurrencyError('Shard busy; retry');
            throw error;
          }
        });
      }
    },

    /** The closing of one day, if it was taken. */
    async getClosing(day: string): Promise<Closing | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.ledgerClosing.key({ day }), ConsistentRead: true }),
      );
      return closingOf(Item);
    },

    /** The most recent closing, if any. */
    latestClosing(): Promise<Closing | undefined> {
      return firstClosing({ ascending: false });
    },

    /** The most recent closing on or before a day. */
    closingOnOrBefore(day: string): Promise<Closing | undefined> {
      return firstClosing({ before: day, ascending: false });
    },

    /** The earliest closing, if any. */
    earliestClosing(): Promise<Closing | undefined> {
      return firstClosing({ ascending: true });
    },

    /**
     * Stores a day's closing unless one is already stored (a closing is taken once; a second run of the job, or two
     * at once, leave the first). Returns whether this call stored it.
     */
    async putClosing(day: string, balances: Balances, closedAt: string): Promise<boolean> {
      const closing: Closing = { entity: 'ledgerClosing', day, balances: toStored(balances), closedAt };
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.ledgerClosing.key({ day }), ...closing },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

/** The balances a stored closing holds. */
export function closingBalances(closing: Closing): Balances {
  return fromStored(closing.balances as StoredBalances);
}

export type LedgerStore = ReturnType<typeof makeLedgerStore>;
