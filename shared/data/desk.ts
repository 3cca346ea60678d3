import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { SLA_DUE_SHARD_NUMBERS, keys } from '#shared/keys.ts';
import {
  DESK_STATUSES,
  PRIORITIES,
  deskSummary,
  nextDueAt,
  priorityRank,
  type DeskChange,
  type DeskKind,
  type DeskListFilter,
  type DeskState,
  type DeskStatus,
  type DeskSummary,
  type HistoryEntry,
  type SlaPolicy,
} from '#shared/domain/desk.ts';
import { customerDetailsSchema } from '#shared/data/customers.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import { changedAttributes, queryAll, queryInput, querySequencePage, type PartitionQuery } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';

// ------------------------------------------------------------------------------------------------ stored shapes

const stateFields = {
  status: z.enum(DESK_STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.string(),
  subject: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  tier: z.number().int().optional(),
  assignee: z.string().optional(),
  firstResponseDueAt: z.string().optional(),
  resolutionDueAt: z.string().optional(),
  firstRespondedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolution: z.string().optional(),
  closedAt: z.string().optional(),
  slaBreached: z.boolean(),
  firstResponseBreachedAt: z.string().optional(),
  resolutionBreachedAt: z.string().optional(),
  slaEscalatedAt: z.string().optional(),
  resolutionDueBy: z.string().optional(),
  correlationId: z.string().optional(),
};

/** A customer case as stored (`CASE#<id>` / `CASE`). */
export const caseItemSchema = z.object({
  entity: z.literal('case'),
  caseId: z.string(),
  ...stateFields,
  customerId: z.string(),
  /** Snapshot of the customer as given with the case (personal data). */
  customer: customerDetailsSchema,
  orderId: z.string().optional(),
  /** SKUs of the named order, copied at triage so the daily report needs no order reads. */
  orderSkus: z.array(z.string()).optional(),
});

/** An IT ticket as stored (`TICKET#<id>` / `TICKET`). */
export const ticketItemSchema = z.object({
  entity: z.literal('ticket'),
  ticketId: z.string(),
  ...stateFields,
  /** Token `sub` of the employee who filed it (for HR's tickets, the HR user who hired or terminated). */
  requester: z.string(),
  /** HR's tickets: the employee they are about, and whether they onboard (accounts, equipment) or revoke access. */
  employeeId: z.string().optional(),
  hrPurpose: z.enum(['onboarding', 'offboarding']).optional(),
});

type StateFields = z.infer<z.ZodObject<typeof stateFields>>;

export type CaseRecord = DeskState &
  StateFields & {
    kind: 'case';
    customerId: string;
    customer: z.infer<typeof customerDetailsSchema>;
    orderId?: string;
    orderSkus?: string[];
  };
export type TicketRecord = DeskState &
  StateFields & {
    kind: 'ticket';
    requester: string;
    employeeId?: string;
    hrPurpose?: 'onboarding' | 'offboarding';
  };
export type DeskRecord = CaseRecord | TicketRecord;

const historyItemSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  note: z.string().optional(),
  status: z.enum(DESK_STATUSES),
  assignee: z.string().optional(),
  deadline: z.enum(['firstResponse', 'resolution']).optional(),
  resolutionMinutes: z.number().optional(),
});

const ID_ATTRIBUTE = { case: 'caseId', ticket: 'ticketId' } as const;
const HISTORY_ENTITY = { case: 'caseHistory', ticket: 'ticketHistory' } as const;
const ASSIGNMENT_ENTITY = { case: 'caseAssignment', ticket: 'ticketAssignment' } as const;

/** History lines the support-daily report counts by day; the others stay off the by-day index. */
const DAY_INDEXED_ACTIONS = new Set(['resolve', 'sla_breached']);

/** A stored case or ticket item as the engine's record. */
export function recordFromItem(item: Record<string, unknown>): DeskRecord {
  if (item.entity === 'ticket') {
    const { entity: _entity, ticketId, ...rest } = ticketItemSchema.parse(item);
    return { kind: 'ticket', id: ticketId, ...rest };
  }
  const { entity: _entity, caseId, ...rest } = caseItemSchema.parse(item);
  return { kind: 'case', id: caseId, ...rest };
}

function storedFields(record: DeskRecord): Record<string, unknown> {
  const { kind, id, ...rest } = record;
  return { entity: kind, [ID_ATTRIBUTE[kind]]: id, ...rest };
}

/** The index entries a record carries in its state: status (gsi1), customer timeline (gsi2), day (gsi3), due (gsi4). */
function indexEntries(record: DeskRecord, policy: SlaPolicy): Record<string, string | undefined> {
  const due = nextDueAt(record, policy);
  return {
    ...keys.deskByStatus.key({
      kind: record.kind,
      status: record.status,
      rank: priorityRank(record.priority),
      createdAt: record.createdAt,
      id: record.id,
    }),
    ...(record.kind === 'case'
      ? keys.customerRecord.key({
          customerId: record.customerId,
          createdAt: record.createdAt,
          type: 'CASE',
          id: record.id,
        })
      : {}),
    ...keys.deskByDay.key({ kind: record.kind, createdAt: record.createdAt, id: record.id }),
    ...(due ? keys.slaDue.key({ kind: record.kind, dueAt: due, id: record.id }) : keys.slaDue.absent()),
  };
}

// ------------------------------------------------------------------------------------------------ summaries

/** The summary fields of a list entry (no description, no customer details); also what an assignment item holds. */
const summarySchema = z.object({
  entity: z.string(),
  caseId: z.string().optional(),
  ticketId: z.string().optional(),
  status: z.enum(DESK_STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.string(),
  subject: z.string(),
  customerId: z.string().optional(),
  requester: z.string().optional(),
  tier: z.number().int().optional(),
  assignee: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseDueAt: z.string().optional(),
  resolutionDueAt: z.string().optional(),
  firstRespondedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  slaBreached: z.boolean(),
});

/**
 * A list entry as stored (a record, or its assignment item) as the desk's summary of it (`deskSummary`); the
 * entity name tells a case from a ticket.
 */
function summaryOf(item: z.infer<typeof summarySchema>): DeskSummary {
  const { entity, caseId, ticketId, ...fields } = item;
  const isCase = entity === 'case' || entity === ASSIGNMENT_ENTITY.case;
  return deskSummary({ kind: isCase ? 'case' : 'ticket', id: (isCase ? caseId : ticketId)!, ...fields });
}

function summaryFields(record: DeskRecord): Record<string, unknown> {
  const stored = storedFields(record);
  return Object.fromEntries(
    Object.keys(summarySchema.shape)
      .filter((name) => name !== 'entity' && stored[name] !== undefined)
      .map((name) => [name, stored[name]]),
  );
}

// ------------------------------------------------------------------------------------------------ the store

/**
 * Cases and tickets: the record, its history lines and assignment item (one partition, one Query), and its index
 * entries — status (gsi1), assignee (gsi1, on the assignment item), customer timeline (gsi2, cases), day (gsi3) and
 * the sparse SLA due time (gsi4). Every change is one transaction conditional on the version read.
 */
export function makeDeskStore({
  doc,
  tableName,
  policy,
}: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  policy: SlaPolicy;
}) {
  function historyItems(record: DeskRecord, entries: readonly HistoryEntry[]): TransactItem[] {
    return entries.map((entry, line) =>
      createPut(tableName, {
        ...keys.deskHistory.key({ kind: record.kind, id: record.id, version: record.version, line }),
        ...(DAY_INDEXED_ACTIONS.has(entry.action)
          ? keys.deskHistoryByDay.key({
              kind: record.kind,
              at: entry.at,
              id: record.id,
              version: record.version,
              line,
            })
          : {}),
        entity: HISTORY_ENTITY[record.kind],
        [ID_ATTRIBUTE[record.kind]]: record.id,
        priority: record.priority,
        category: record.category,
        ...entry,
      }),
    );
  }

  function assignmentItem(record: DeskRecord): TransactItem[] {
    if (record.assignee === undefined) return [];
    return [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.deskAssignment.key({ kind: record.kind, id: record.id }),
            ...keys.deskByAssignee.key({
              kind: record.kind,
              assignee: record.assignee,
              status: record.status,
              rank: priorityRank(record.priority),
              createdAt: record.createdAt,
              id: record.id,
            }),
            entity: ASSIGNMENT_ENTITY[record.kind],
            ...summaryFields(record),
          },
        },
      },
    ];
  }

  return {
    /** The items creating a record (`NEW`) with its first history line ("submitted"). */
    newRecordItems(record: DeskRecord, submitted: HistoryEntry): TransactItem[] {
      return [
        createPut(tableName, {
          ...keys.desk.key({ kind: record.kind, id: record.id }),
          ...indexEntries(record, policy),
          ...storedFields(record),
        }),
        ...historyItems(record, [submitted]),
      ];
    },

    /**
     * The items of a change: the record updated (only the fields that changed, and its index entries), conditional
     * on the version read, so two agents acting at once cannot overwrite each other; its new history lines; its
     * assignment item rewritten when assigned.
     */
    changeItems(before: DeskRecord, change: DeskChange<DeskRecord>): TransactItem[] {
      const after = change.next;
      const set = changedAttributes(storedFields(before), storedFields(after));
      const key = keys.desk.key({ kind: before.kind, id: before.id });
      return [
        guardedUpdate(tableName, key, { ...set, ...indexEntries(after, policy) }, { version: before.version }),
        ...historyItems(after, change.entries),
        ...assignmentItem(after),
      ];
    },

    /** The record alone, read consistently (decisions are made on it). */
    async getRecord(kind: DeskKind, id: string): Promise<DeskRecord | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.desk.key({ kind, id }), ConsistentRead: true }),
      );
      return Item ? recordFromItem(Item) : undefined;
    },

    /** The record and its whole history, oldest line first: one Query of the record's partition. */
    async getRecordWithHistory(
      kind: DeskKind,
      id: string,
      consistent = false,
    ): Promise<{ record: DeskRecord; history: HistoryEntry[] } | undefined> {
      let record: DeskRecord | undefined;
      const history: HistoryEntry[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await doc.send(
          new QueryCommand({
            ...queryInput(tableName, keys.desk.query({ kind, id }, { consistent })),
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) {
          if (item.entity === kind) record = recordFromItem(item);
          else if (item.entity === HISTORY_ENTITY[kind]) history.push(historyItemSchema.parse(item));
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return record ? { record, history } : undefined;
    },

    /**
     * A page of records of one kind for `?status&priority&assignee`, every combination a key condition: by assignee
     * (their assignment items) or by status (the records), narrowed by status and priority through the sort key.
     * Without a status, each status is read in lifecycle order. Most urgent first, then oldest first.
     */
    listRecords(
      kind: DeskKind,
      filter: DeskListFilter,
      page: { limit: number; cursor?: string | undefined },
    ): Promise<Page<DeskSummary>> {
      const statuses: readonly DeskStatus[] = filter.status ? [filter.status] : DESK_STATUSES;
      const rank = filter.priority !== undefined ? `${priorityRank(filter.priority)}#` : '';
      const { assignee } = filter;
      const segments: PartitionQuery[] = statuses.map((status) =>
        assignee !== undefined
          ? keys.deskByAssignee.query({ kind, assignee }, { prefix: `${status}#${rank}` })
          : keys.deskByStatus.query({ kind, status }, rank ? { prefix: rank } : {}),
      );
      return querySequencePage(doc, tableName, segments, page, (item) => summaryOf(summarySchema.parse(item)));
    },

    /**
     * Every record with something due at or before `now` (gsi4, all shards): only open work near its deadlines and
     * resolved work about to close, never the closed history.
     */
    async dueRecords(now: string): Promise<DeskRecord[]> {
      const pages = await Promise.all(
        SLA_DUE_SHARD_NUMBERS.map(async (shard) => {
          const found: DeskRecord[] = [];
          // `<now>~` sorts after every `<now>#...` key: records due exactly now are included.
          for await (const item of queryAll(doc, tableName, keys.slaDue.query({ shard }, { before: `${now}~` }))) {
            found.push(recordFromItem(item));
          }
          return found;
        }),
      );
      return pages.flat();
    },

    /** A day's entries on the by-day index: records submitted that day, and that day's resolutions and breaches. */
    async dayEntries(
      kind: DeskKind,
      day: string,
    ): Promise<{
      submitted: DeskRecord[];
      history: (HistoryEntry & { id: string; priority: string; category: string })[];
    }> {
      const submitted: DeskRecord[] = [];
      const history: (HistoryEntry & { id: string; priority: string; category: string })[] = [];
      for await (const item of queryAll(doc, tableName, keys.deskByDay.query({ kind, day }))) {
        if (item.entity === kind) submitted.push(recordFromItem(item));
        else if (item.entity === HISTORY_ENTITY[kind]) {
          history.push({
            ...historyItemSchema.parse(item),
            id: String(item[ID_ATTRIBUTE[kind]]),
            priority: String(item.priority),
            category: String(item.category),
          });
        }
      }
      return { submitted, history };
    },
  };
}

export type DeskStore = ReturnType<typeof makeDeskStore>;
