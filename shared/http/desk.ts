import * as z from 'zod';
import { DESK_STATUSES, prioritySchema, type DeskListFilter, type HistoryEntry } from '#shared/domain/desk.ts';
import type { CaseRecord, DeskRecord, TicketRecord } from '#shared/data/desk.ts';

/** `{caseId}` of the case routes. */
export const casePathSchema = z.object({ caseId: z.string().min(1).max(64) });

/** `{ticketId}` of the ticket routes. */
export const ticketPathSchema = z.object({ ticketId: z.string().min(1).max(64) });

/** `?status&priority&assignee` of the list routes (`GET /v1/cases`, `GET /v1/it-tickets`). */
export const deskListFilterSchema = z.object({
  status: z.enum(DESK_STATUSES).optional(),
  priority: prioritySchema.optional(),
  assignee: z.string().trim().min(1).max(200).optional(),
}) satisfies z.ZodType<DeskListFilter>;

/**
 * A history line as a case or ticket shows it: when, who, what, the status after; not `resolutionMinutes` (reports).
 */
type HistoryView = Pick<HistoryEntry, 'at' | 'actor' | 'action' | 'note' | 'status' | 'assignee' | 'deadline'>;

function historyView(entry: HistoryEntry): HistoryView {
  return {
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    ...(entry.note !== undefined ? { note: entry.note } : {}),
    status: entry.status,
    ...(entry.assignee !== undefined ? { assignee: entry.assignee } : {}),
    ...(entry.deadline !== undefined ? { deadline: entry.deadline } : {}),
  };
}

function optional<T extends object>(record: T, names: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const name of names) if (record[name] !== undefined) out[name] = record[name];
  return out;
}

/** The lifecycle fields every view of a case or ticket shows; deadlines and tier are `null` until triage. */
function lifecycleView(record: DeskRecord) {
  return {
    status: record.status,
    category: record.category,
    priority: record.priority,
    subject: record.subject,
    tier: record.tier ?? null,
    ...optional(record, ['assignee']),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    firstResponseDueAt: record.firstResponseDueAt ?? null,
    resolutionDueAt: record.resolutionDueAt ?? null,
    ...optional(record, ['firstRespondedAt', 'resolvedAt']),
    slaBreached: record.slaBreached,
  };
}

/**
 * `GET /v1/cases/{caseId}` (README, Routes), also the case an action answers with: the case with its history, oldest
 * line first.
 */
export function caseView(record: CaseRecord, history: readonly HistoryEntry[]) {
  return {
    caseId: record.id,
    ...lifecycleView(record),
    description: record.description,
    customer: record.customer,
    customerId: record.customerId,
    ...optional(record, ['orderId', 'resolution', 'closedAt']),
    history: history.map(historyView),
  };
}

/**
 * `GET /v1/it-tickets/{ticketId}` (README, Routes), also the ticket an action answers with: the ticket with its
 * history, oldest line first.
 */
export function ticketView(record: TicketRecord, history: readonly HistoryEntry[]) {
  return {
    ticketId: record.id,
    ...lifecycleView(record),
    description: record.description,
    requester: record.requester,
    ...optional(record, ['employeeId', 'hrPurpose', 'resolution', 'closedAt']),
    history: history.map(historyView),
  };
}
