import { httpRoute } from '#shared/http/route.ts';
import { trialBalanceQuerySchema } from '#shared/http/ledger.ts';
import { makeLedgerService } from '#shared/services/ledger.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const ledger = makeLedgerService({ doc, tableName: config.TABLE_NAME });

/**
 * `GET /v1/ledger/trial-balance?asOf=` (accounting): every account's debits, credits and balance up to `asOf` (a
 * bare date means the end of that UTC day; now when omitted). Its cost does not grow with the journal.
 */
export const handler = httpRoute(
  { route: 'GET /v1/ledger/trial-balance', query: trialBalanceQuerySchema },
  async ({ query }) => {
    const tb = await ledger.trialBalance(query.asOf);
    return { status: 200, body: { ...tb, currency: config.CURRENCY } };
  },
);
