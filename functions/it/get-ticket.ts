import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { ticketPathSchema, ticketView } from '#shared/http/desk.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import type { TicketRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `GET /v1/it-tickets/{ticketId}`: the ticket with its history, for `it` (and `admin`) and for the employee who
 * filed it. Anyone else gets the same 404 as for a ticket that does not exist, so ids of others' tickets reveal
 * nothing.
 */
export const handler = httpRoute(
  { route: 'GET /v1/it-tickets/{ticketId}', params: ticketPathSchema },
  async ({ params, caller }) => {
    const { record, history } = await desk.get('ticket', params.ticketId);
    const ticket = record as TicketRecord;
    const mayRead = caller.roles.includes('it') || caller.roles.includes('admin') || caller.sub === ticket.requester;
    if (!mayRead) throw new NotFoundError(`Ticket ${params.ticketId} was not found.`);
    return { status: 200, body: ticketView(ticket, history) };
  },
);
