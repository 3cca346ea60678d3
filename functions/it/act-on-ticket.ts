import { httpRoute } from '#shared/http/route.ts';
import { ticketPathSchema, ticketView } from '#shared/http/desk.ts';
import { deskActionSchema, slaPolicyFromEnv } from '#shared/domain/desk.ts';
import type { TicketRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `POST /v1/it-tickets/{ticketId}/actions` (it): the same actions and transition table as customer cases → 200
 * with the ticket; not allowed → 409; unknown action → 400.
 */
export const handler = httpRoute(
  { route: 'POST /v1/it-tickets/{ticketId}/actions', params: ticketPathSchema, body: deskActionSchema },
  async ({ params, body, caller }) => {
    const { record, history } = await desk.act('ticket', params.ticketId, body, caller.sub);
    return { status: 200, body: ticketView(record as TicketRecord, history) };
  },
);
