import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { queryInput } from '#shared/data/query.ts';
import { ORDER_STATUSES } from '#shared/domain/orders.ts';
import { OPEN_STATUSES } from '#shared/domain/desk.ts';

// The counts behind the operations summary (shared/services/ops-summary.ts), each from one index partition.

/** Today's orders by status, through the by-day index (`gsi3`): the cost follows the day's orders. */
export async function countOrdersOfDayByStatus(
  doc: DynamoDBDocumentClient,
  tableName: string,
  day: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0]));
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.orderByDay.query({ day }), ['status']),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const status = typeof item.status === 'string' ? item.status : 'UNKNOWN';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

/**
 * Appointments starting on a UTC day that are still booked (not cancelled), through the by-day index (`gsi3`),
 * projecting `status` only: the cost follows the day's appointments.
 */
export async function countBookedAppointmentsOfDay(
  doc: DynamoDBDocumentClient,
  tableName: string,
  day: string,
): Promise<number> {
  let booked = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.appointmentByDay.query({ day }), ['status']),
        ExclusiveStartKey: startKey,
      }),
    );
    booked += (page.Items ?? []).filter((item) => item.status === 'BOOKED').length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return booked;
}

/** Items at or below their reorder point: a `Select: COUNT` over the sparse low-stock index partition. */
export async function countLowStockItems(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.itemLowStock.query({})),
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/**
 * Open cases and tickets, and how many of them are past an SLA deadline, for the operations summary: the open
 * status partitions only (gsi1), projecting one attribute, so the cost follows the open workload.
 */
export async function countOpenDeskWork(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ openCases: number; openTickets: number; slaBreaches: number }> {
  const counts = { case: 0, ticket: 0 };
  let breaches = 0;
  await Promise.all(
    (['case', 'ticket'] as const).flatMap((kind) =>
      OPEN_STATUSES.map(async (status) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              ...queryInput(tableName, keys.deskByStatus.query({ kind, status }), ['slaBreached']),
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            counts[kind]++;
            if (item.slaBreached === true) breaches++;
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    ),
  );
  return { openCases: counts.case, openTickets: counts.ticket, slaBreaches: breaches };
}

/**
 * Open onboardings: employees `ONBOARDING`, a `Select: COUNT` of their status partition (gsi1), so the cost follows
 * the hires still onboarding, never the staff.
 */
export async function countOpenOnboardings(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        ...queryInput(tableName, keys.employeeByStatus.query({ status: 'ONBOARDING' })),
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}
