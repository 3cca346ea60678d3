import { httpRoute } from '#shared/http/route.ts';
import { journalEntryView, ledgerEntriesQuerySchema } from '#shared/http/ledger.ts';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const ledger = makeLedgerService({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/ledger/entries?from&to` (accounting): the journal entries posted in a range of at most 366 days, oldest
 * first, a page at a time across the journal's day partitions.
 */
export const handler = httpRoute(
  { route: 'GET /v1/ledger/entries', query: ledgerEntriesQuerySchema },
  async ({ query }) => {
    const page = await ledger.listEntries(
      { from: query.from, to: query.to },
      { limit: query.limit, cursor: query.cursor },
    );
    return {
      status: 200,
      body: { items: page.items.map((entry) => journalEntryView(entry, config.CURRENCY)), nextCursor: page.nextCursor },
    };
  },
);
