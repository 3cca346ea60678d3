import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { ACCOUNTS, assertBalanced, type AccountCode, type JournalLine } from '#shared/domain/ledger.ts';
import { createPut, type TransactItem } from '#shared/data/transact.ts';
import { retainedUntil, retentionFromEnv, type RetentionPolicy } from '#shared/domain/retention.ts';
import { balanceShardUpdate } from '#shared/data/ledger.ts';
import { checkedStartKey, patternReader, queryInput } from '#shared/data/query.ts';

const accountCode = z.enum(Object.keys(ACCOUNTS) as [AccountCode, ...AccountCode[]]);

/** A posted journal entry: immutable, balanced; a correction is a new reversing entry (docs/contract.md#accounting). */
export const journalEntrySchema = z.object({
  entity: z.literal('journalEntry'),
  entryId: z.string(),
  postedAt: z.string(),
  memo: z.string(),
  source: z.object({ type: z.string(), id: z.string() }),
  lines: z
    .array(z.object({ account: accountCode, debitCents: z.number().int(), creditCents: z.number().int() }))
    .min(1),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export interface NewJournalEntry {
  entryId: string;
  postedAt: string;
  memo: string;
  source: { type: string; id: string };
  lines: JournalLine[];
}

/**
 * Journal entries. `entryItems` returns the transaction items that post an entry, so the entry is written in the
 * same transaction as the business change it records, together with the one update that adds it to the ledger's
 * balance shards (`#shared/data/ledger.ts`): every posting keeps the stored balances current.
 */
export function makeJournal({
  doc,
  tableName,
  retention = retentionFromEnv(),
}: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  retention?: RetentionPolicy;
}) {
  return {
    /**
     * The items posting `entry` — the entry and its balance-shard update (two transaction actions); none for an entry
     * without lines (everything free or valued at zero).
     */
    entryItems(entry: NewJournalEntry): TransactItem[] {
      if (entry.lines.length === 0) return [];
      assertBalanced(entry.lines);
      const item: JournalEntry = { entity: 'journalEntry', ...entry };
      return [
        createPut(tableName, {
          ...keys.journalEntry.key(entry),
          ...keys.journalByDay.key(entry),
          ...item,
          // The books' retention (docs/decisions.md#retention); balances and closings keep the totals for good.
          expiresAt: retainedUntil(entry.postedAt, retention.booksYears),
        }),
        balanceShardUpdate(tableName, entry),
      ];
    },

    async getJournalEntry(entryId: string): Promise<JournalEntry | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.journalEntry.key({ entryId }) }),
      );
      return Item ? journalEntrySchema.parse(Item) : undefined;
    },

    /** Entries posted on one UTC day, in posting order (the ledger listing; daily reports). */
    byDay: patternReader({ doc, tableName }, keys.journalByDay, (item) => journalEntrySchema.parse(item)),

    /**
     * One page of the entries posted on one UTC day between two instants (inclusive), in posting order, from
     * `startKey` (the `lastKey` of the previous page of the same day): the ledger listing walks a range day by day.
     */
    async journalEntriesBetween(
      day: string,
      between: { from: string; to: string },
      limit: number,
      startKey?: Record<string, unknown>,
    ): Promise<{ entries: JournalEntry[]; lastKey: Record<string, unknown> | undefined }> {
      const query = keys.journalByDay.query({ day }, { from: between.from, before: `${between.to}#~` });
      const page = await doc.send(
        new QueryCommand({
          ...queryInput(tableName, query),
          Limit: limit,
          ExclusiveStartKey: checkedStartKey(startKey, query),
        }),
      );
      return {
        entries: (page.Items ?? []).map((item) => journalEntrySchema.parse(item)),
        lastKey: page.LastEvaluatedKey,
      };
    },
  };
}

export type Journal = ReturnType<typeof makeJournal>;
