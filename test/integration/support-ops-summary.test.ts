import { describe, expect, it } from 'vitest';
import { opsSummary } from '#shared/services/ops-summary.ts';
import { caseSubmissionSchema, ticketSubmissionSchema } from '#shared/domain/desk.ts';
import { testClients, testQueue, testResources } from '../support/index.ts';
import { clockAt, deskAt, openCase, ticketBody } from './support-fixtures.ts';

describe('ops summary: the service desk', () => {
  it('counts open cases and tickets, whenever submitted, and those past an SLA deadline', async () => {
    const clock = clockAt('2026-11-01T09:00:00.000Z');
    const desk = deskAt(clock);
    await openCase(desk, { priority: 'urgent' });
    const inProgress = await openCase(desk, { priority: 'low' });
    await desk.act('case', inProgress, { action: 'assign', assignee: 'agent-1' }, 'agent-1');
    const resolved = await openCase(desk, { priority: 'low' });
    await desk.act('case', resolved, { action: 'resolve', resolution: 'Done.' }, 'agent-1');
    await desk.submitCase(
      caseSubmissionSchema.parse({
        customer: { name: 'New', email: 'new-case@example.com' },
        category: 'inquiry',
        subject: 'Hours?',
        description: 'When do you open?',
      }),
      { actor: 'front-1', correlationId: 'c' },
    );
    const { ticketId } = await desk.submitTicket(ticketSubmissionSchema.parse(ticketBody()), {
      requester: 'emp-1',
      correlationId: 'c',
    });
    await desk.triage('ticket', ticketId, 'system:test');
    await desk.runMonitor(clock.advance(2 * 60), 'system:sla-monitor');
    const { doc, sqs } = testClients();
    const queue = testQueue('support');

    const summary = await opsSummary({
      doc,
      sqs,
      tableName: testResources().tableName,
      queues: [{ name: 'support', url: queue.url, dlqUrl: queue.dlqUrl }],
      now: () => new Date('2026-12-24T12:00:00.000Z'),
    });

    // Breached (escalated), in progress, and the one still NEW (triaged by the monitor meanwhile) are open.
    expect(summary).toMatchObject({ openCases: 3, openTickets: 1, slaBreaches: 1 });
  });
});
