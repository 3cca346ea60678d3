import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { dayOf } from '#shared/keys.ts';
import {
  countBookedAppointmentsOfDay,
  countLowStockItems,
  countOpenDeskWork,
  countOpenOnboardings,
  countOrdersOfDayByStatus,
} from '#shared/data/ops-summary.ts';
import { deadLetterCounts, type OpsQueue } from '#shared/services/ops-queues.ts';

export interface OpsSummary {
  /** The UTC day summarised, `YYYY-MM-DD`. */
  date: string;
  /** Orders submitted that day, by their current status; every status is listed, zero included. */
  ordersByStatus: Record<string, number>;
  /** Customer cases not yet resolved (`NEW`, `OPEN`, `IN_PROGRESS`, `ESCALATED`), whenever submitted. */
  openCases: number;
  /** IT tickets not yet resolved, whenever filed. */
  openTickets: number;
  /** Open cases and tickets that have missed an SLA deadline. */
  slaBreaches: number;
  /** Items at or below their reorder point. */
  lowStockItems: number;
  /** Appointments starting that day (UTC) and still booked, cancelled ones not counted. */
  appointmentsToday: number;
  /** Employees still `ONBOARDING` (hired, checklist not done). */
  openOnboardings: number;
  /** Messages in each queue's dead-letter queue. */
  deadLetters: Record<string, number>;
}

export interface SummaryInput {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  tableName: string;
  queues: readonly OpsQueue[];
  now: () => Date;
}

/**
 * The operations summary (docs/operations.md): what an operator checks first in the morning. Every figure comes from an
 * index partition or a queue attribute, never a scan; open cases, tickets and their breaches come from the open status
 * partitions of the service desk, so their cost follows the open workload (docs/operations.md).
 */
export async function opsSummary(input: SummaryInput): Promise<OpsSummary> {
  const date = dayOf(input.now().toISOString());
  const [ordersByStatus, lowStockItems, deadLetters, desk, appointmentsToday, openOnboardings] = await Promise.all([
    countOrdersOfDayByStatus(input.doc, input.tableName, date),
    countLowStockItems(input.doc, input.tableName),
    deadLetterCounts(input.sqs, input.queues),
    countOpenDeskWork(input.doc, input.tableName),
    countBookedAppointmentsOfDay(input.doc, input.tableName, date),
    countOpenOnboardings(input.doc, input.tableName),
  ]);
  return { date, ordersByStatus, ...desk, lowStockItems, appointmentsToday, openOnboardings, deadLetters };
}
