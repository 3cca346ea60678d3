import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { keys } from '#shared/keys.ts';
import type { OrderStatus } from '#shared/domain/orders.ts';
import type { EmployeeStatus } from '#shared/domain/hr.ts';
import { opsSummary } from '#shared/services/ops-summary.ts';
import { handler as getSummary } from '../../functions/ops/get-summary.ts';
import { apiEvent, eventually, lambdaContext, testClients, testQueue, testResources } from '../support/index.ts';

const DAY = '2026-11-20';

async function put(item: Record<string, unknown>): Promise<void> {
  await testClients().doc.send(new PutCommand({ TableName: testResources().tableName, Item: item }));
}

let n = 0;
async function putOrder(status: OrderStatus, createdAt: string): Promise<void> {
  const orderId = `ord-sum-${++n}`;
  await put({
    ...keys.order.key({ orderId }),
    ...keys.orderByStatus.key({ status, createdAt, orderId }),
    ...keys.orderByDay.key({ createdAt, orderId }),
    entity: 'order',
    orderId,
    status,
    createdAt,
    updatedAt: createdAt,
  });
}

async function putItem(sku: string, onHand: number, reorderPoint: number): Promise<void> {
  await put({
    ...keys.item.key({ sku }),
    ...keys.itemInCatalogue.key({ sku }),
    ...(onHand <= reorderPoint ? keys.itemLowStock.key({ sku }) : {}),
    entity: 'item',
    sku,
    onHand,
    reorderPoint,
  });
}

async function putEmployee(employeeId: string, status: EmployeeStatus): Promise<void> {
  await put({
    ...keys.employee.key({ employeeId }),
    ...keys.employeeByStatus.key({ status, department: 'Ops', employeeId }),
    entity: 'employee',
    employeeId,
    status,
  });
}

function summaryAt(iso: string) {
  const { doc, sqs } = testClients();
  const queue = testQueue('orders');
  return opsSummary({
    doc,
    sqs,
    tableName: testResources().tableName,
    queues: [{ name: 'orders', url: queue.url, dlqUrl: queue.dlqUrl }],
    now: () => new Date(iso),
  });
}

describe('ops summary', () => {
  it("counts the day's orders by status, low-stock items, open onboardings and dead letters", async () => {
    await putOrder('CONFIRMED', `${DAY}T08:00:00.000Z`);
    await putOrder('CONFIRMED', `${DAY}T09:30:00.000Z`);
    await putOrder('BACKORDERED', `${DAY}T10:00:00.000Z`);
    await putOrder('RECEIVED', `${DAY}T23:59:59.999Z`);
    await putOrder('CONFIRMED', '2026-11-19T23:59:59.999Z');
    await putItem('LOW-1', 2, 5);
    await putItem('LOW-2', 5, 5);
    await putItem('FINE-1', 50, 5);
    await putEmployee('emp_SUM1', 'ONBOARDING');
    await putEmployee('emp_SUM2', 'ONBOARDING');
    await putEmployee('emp_SUM3', 'ACTIVE');
    await putEmployee('emp_SUM4', 'TERMINATING');
    await testClients().sqs.send(new SendMessageCommand({ QueueUrl: testQueue('orders').dlqUrl, MessageBody: '{}' }));

    // The local server counts a message a timer tick after its send.
    const summary = await eventually(async () => {
      const answer = await summaryAt(`${DAY}T12:00:00.000Z`);
      if (answer.deadLetters.orders !== 1) throw new Error('the dead letter is not counted yet');
      return answer;
    });

    expect(summary).toEqual({
      date: DAY,
      ordersByStatus: { RECEIVED: 1, CONFIRMED: 2, BACKORDERED: 1, REJECTED: 0, CANCELLED: 0, PAID: 0 },
      openCases: 0,
      openTickets: 0,
      slaBreaches: 0,
      lowStockItems: 2,
      appointmentsToday: 0,
      openOnboardings: 2,
      deadLetters: { orders: 1 },
    });
  });

  it("answers GET /v1/ops/summary for ops with today's UTC date, and 403 for other roles", async () => {
    const ok = await getSummary(apiEvent({ path: '/v1/ops/summary', roles: ['ops'] }), lambdaContext());
    const refused = await getSummary(apiEvent({ path: '/v1/ops/summary', roles: ['support'] }), lambdaContext());
    const body = JSON.parse(ok.body ?? '{}');

    expect(ok.statusCode).toBe(200);
    expect(body.date).toBe(new Date().toISOString().slice(0, 10));
    expect(Object.keys(body).sort()).toEqual([
      'appointmentsToday',
      'date',
      'deadLetters',
      'lowStockItems',
      'openCases',
      'openOnboardings',
      'openTickets',
      'ordersByStatus',
      'slaBreaches',
    ]);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
  });
});
