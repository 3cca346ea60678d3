import { httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { manualEntrySchema, type ManualEntry } from '#shared/domain/accounting.ts';
import { journalEntryView } from '#shared/http/ledger.ts';
import type { JournalEntry } from '#shared/data/journal.ts';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const ledger = makeLedgerService({ doc, tableName: config.TABLE_NAME });

const answer = (entry: JournalEntry): HttpResult => ({ status: 201, body: journalEntryView(entry, config.CURRENCY) });

/**
 * `POST /v1/ledger/entries` (accounting): posts a manual journal entry — at least two lines, each one positive side,
 * known accounts, balanced, else 400 listing every problem — and answers 201 with it.
 */
export const handler = httpRoute(
  { route: 'POST /v1/ledger/entries', body: manualEntrySchema, idempotent: true },
  async ({ body, caller, idempotency }) => {
    const entry = await ledger.postManualEntry(body as ManualEntry, {
      actor: caller.sub,
      remember: rememberAnswer(idempotency, answer),
    });
    return answer(entry);
  },
);
