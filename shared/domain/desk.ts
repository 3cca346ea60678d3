import * as z from 'zod';
import { ConflictError } from '#shared/errors.ts';
import { customerSchema } from '#shared/domain/orders.ts';

/**
 * The service-desk engine shared by customer cases (docs/contract.md#customer-support) and IT tickets
 * (docs/contract.md#it-support): one lifecycle, one table of allowed actions, one SLA clock. Everything here is pure;
 * `#shared/services/desk.ts` reads and writes.
 */

export const DESK_KINDS = ['case', 'ticket'] as const;
export type DeskKind = (typeof DESK_KINDS)[number];

export const DESK_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'ESCALATED', 'RESOLVED', 'CLOSED'] as const;
export type DeskStatus = (typeof DESK_STATUSES)[number];

/** Statuses of work not yet done: counted as open by the operations summary. */
export const OPEN_STATUSES: readonly DeskStatus[] = ['NEW', 'OPEN', 'IN_PROGRESS', 'ESCALATED'];

/** Priorities, most urgent first: the order lists sort by. */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Sort position of a priority (`urgent` = 0), so an ascending index sort lists the most urgent first. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export const DESK_ACTIONS = ['assign', 'comment', 'escalate', 'resolve', 'reopen'] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];

/**
 * The transition table in docs/contract.md#customer-support, exactly: the status an action leads to from each status;
 * an action missing from a row is not allowed (409). `NEW` waits for triage and `CLOSED` is final, so neither takes any
 * action. docs/decisions.md shows the same table.
 */
export const TRANSITIONS: Readonly<Record<DeskStatus, Readonly<Partial<Record<DeskAction, DeskStatus>>>>> = {
  NEW: {},
  OPEN: { assign: 'IN_PROGRESS', comment: 'OPEN', escalate: 'ESCALATED', resolve: 'RESOLVED' },
  IN_PROGRESS: { assign: 'IN_PROGRESS', comment: 'IN_PROGRESS', escalate: 'ESCALATED', resolve: 'RESOLVED' },
  ESCALATED: { assign: 'ESCALATED', comment: 'ESCALATED', resolve: 'RESOLVED' },
  RESOLVED: { comment: 'RESOLVED', reopen: 'OPEN' },
  CLOSED: {},
};

/** The status `action` leads to from `from`, or undefined when the table does not allow it. */
export function transitionOf(from: DeskStatus, action: DeskAction): DeskStatus | undefined {
  return TRANSITIONS[from][action];
}

// ------------------------------------------------------------------------------------------------ SLA policy

const HOUR_MS = 3_600_000;

const hoursSchema = z
  .number()
  .positive()
  .max(24 * 365);

/** A priority's deadlines, both always set once the policy is parsed. */
export interface SlaDeadlineHours {
  firstResponseHours: number;
  resolutionHours: number;
}

/**
 * The contract's deadlines (docs/contract.md#customer-support), what every priority has unless `SLA_POLICY` says
 * otherwise.
 */
const DEFAULT_DEADLINES: Readonly<Record<Priority, SlaDeadlineHours>> = {
  urgent: { firstResponseHours: 1, resolutionHours: 4 },
  high: { firstResponseHours: 4, resolutionHours: 24 },
  normal: { firstResponseHours: 8, resolutionHours: 72 },
  low: { firstResponseHours: 24, resolutionHours: 120 },
};

/**
 * One priority's override: either deadline or both; what it leaves out keeps that priority's default, so
 * `{"urgent":{"resolutionHours":2}}` keeps urgent's 1 h first response. An unknown field is an error, not ignored,
 * and so is a first response due after the resolution once merged (`{"urgent":{"firstResponseHours":6}}`).
 */
function deadlinesSchema(priority: Priority) {
  const defaults = DEFAULT_DEADLINES[priority];
  return z
    .strictObject({ firstResponseHours: hoursSchema.optional(), resolutionHours: hoursSchema.optional() })
    .optional()
    .transform((override): SlaDeadlineHours => ({
      firstResponseHours: override?.firstResponseHours ?? defaults.firstResponseHours,
      resolutionHours: override?.resolutionHours ?? defaults.resolutionHours,
    }))
    .refine((hours) => hours.firstResponseHours <= hours.resolutionHours, {
      message:
        `${priority}: the first response cannot be due after the resolution ` + '(check both hours, defaults included)',
    });
}

/**
 * How long the desk has to answer and to resolve, by priority, and when resolved work closes. Deadlines run from
 * the submission. The contract's defaults; `SLA_POLICY` (JSON) overrides any of them without a code change, field by
 * field. Unknown keys (a priority that does not exist, a misspelt field) are refused rather than silently ignored.
 */
export const slaPolicySchema = z.strictObject({
  urgent: deadlinesSchema('urgent'),
  high: deadlinesSchema('high'),
  normal: deadlinesSchema('normal'),
  low: deadlinesSchema('low'),
  /** Resolved work closes this long after its resolution unless reopened. */
  closeAfterHours: hoursSchema.default(7 * 24),
  /** Work still `NEW` this long after submission (its queue message lost) is triaged by the SLA monitor. */
  triageGraceMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(5),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const DEFAULT_SLA_POLICY: SlaPolicy = slaPolicySchema.parse({});

/**
 * The policy from the `SLA_POLICY` environment variable (JSON; omitted priorities and fields keep the contract's
 * defaults), read once at cold start: a malformed value fails the function's first invocation, not a request half-way
 * through.
 */
export function slaPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): SlaPolicy {
  const raw = env.SLA_POLICY;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SLA_POLICY;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('SLA_POLICY is not valid JSON');
  }
  return slaPolicySchema.parse(parsed);
}

function plusHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + Math.round(hours * HOUR_MS)).toISOString();
}

/** The first-response and resolution deadlines of work of `priority` submitted at `createdAt`. */
export function slaDeadlines(
  priority: Priority,
  createdAt: string,
  policy: SlaPolicy,
): { firstResponseDueAt: string; resolutionDueAt: string } {
  const { firstResponseHours, resolutionHours } = policy[priority];
  return {
    firstResponseDueAt: plusHours(createdAt, firstResponseHours),
    resolutionDueAt: plusHours(createdAt, resolutionHours),
  };
}

// ------------------------------------------------------------------------------------------------ records

/** The SLA deadlines a record can breach. */
export type Deadline = 'firstResponse' | 'resolution';

/** What the engine knows about a case or a ticket; kind-specific fields ride along untouched. */
export interface DeskState {
  kind: DeskKind;
  id: string;
  status: DeskStatus;
  priority: Priority;
  category: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; each write is conditional on the version it read. */
  version: number;
  /** 1 from triage, 2 once escalated; absent while `NEW`. */
  tier?: number;
  assignee?: string;
  firstResponseDueAt?: string;
  resolutionDueAt?: string;
  firstRespondedAt?: string;
  resolvedAt?: string;
  resolution?: string;
  closedAt?: string;
  slaBreached: boolean;
  firstResponseBreachedAt?: string;
  resolutionBreachedAt?: string;
  /** When the SLA monitor escalated the record; it does so once in a record's life. */
  slaEscalatedAt?: string;
  /**
   * A resolution deadline fixed when the record was filed (an access revocation due by a leaver's last day), which
   * triage uses instead of the priority's; the first response is then due no later than it either.
   */
  resolutionDueBy?: string;
}

/** One line of a record's history (docs/contract.md#customer-support `history`), as stored and shown. */
export interface HistoryEntry {
  at: string;
  actor: string;
  /** `submitted`, `triaged`, one of the actions, `sla_breached`, `closed`. */
  action: string;
  note?: string;
  /** The status after the entry. */
  status: DeskStatus;
  assignee?: string;
  /** Which deadline an `sla_breached` entry is about. */
  deadline?: Deadline;
  /** Minutes from submission to resolution, on `resolve` entries (support-daily's median). */
  resolutionMinutes?: number;
}

/** The outcome of applying something to a record: the new state, its history lines and the changed field names. */
export interface DeskChange<S extends DeskState = DeskState> {
  next: S;
  entries: HistoryEntry[];
  /** Names of the fields that changed, for the audit event. */
  changes: string[];
  /** Audit action, `<kind>.<verb>`. */
  auditAction: string;
}

function changedFields(before: DeskState, after: DeskState): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete('version');
  names.delete('updatedAt');
  return [...names]
    .filter((name) => JSON.stringify((before as never)[name]) !== JSON.stringify((after as never)[name]))
    .sort();
}

function change<S extends DeskState>(before: S, next: S, entries: HistoryEntry[], verb: string): DeskChange<S> {
  return { next, entries, changes: changedFields(before, next), auditAction: `${before.kind}.${verb}` };
}

/**
 * Triage (docs/contract.md#customer-support): `NEW` becomes `OPEN` at tier 1 with its SLA deadlines, which run from the
 * submission; a record filed with a fixed `resolutionDueBy` is due then instead (and answered no later).
 */
export function triage<S extends DeskState>(record: S, at: string, actor: string, policy: SlaPolicy): DeskChange<S> {
  if (record.status !== 'NEW') throw new ConflictError(`A ${record.kind} that is ${record.status} is already triaged.`);
  const deadlines = slaDeadlines(record.priority, record.createdAt, policy);
  if (record.resolutionDueBy !== undefined) {
    deadlines.resolutionDueAt = record.resolutionDueBy;
    if (deadlines.firstResponseDueAt > record.resolutionDueBy) deadlines.firstResponseDueAt = record.resolutionDueBy;
  }
  const next: S = {
    ...record,
    status: 'OPEN',
    tier: 1,
    ...deadlines,
    updatedAt: at,
    version: record.version + 1,
  };
  return change(record, next, [{ at, actor, action: 'triaged', status: 'OPEN' }], 'triaged');
}

/** An action as an agent sends it (docs/contract.md#customer-support); the schema lives with the routes. */
export type DeskActionInput =
  | { action: 'assign'; assignee: string }
  | { action: 'comment'; note: string }
  | { action: 'escalate'; note?: string | undefined }
  | { action: 'resolve'; resolution: string }
  | { action: 'reopen'; note?: string | undefined };

/** The audit verb of each action (`case.assigned`). */
const ACTION_VERBS: Record<DeskAction, string> = {
  assign: 'assigned',
  comment: 'commented',
  escalate: 'escalated',
  resolve: 'resolved',
  reopen: 'reopened',
};

function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
}

/**
 * Applies an agent's action by the transition table; anything the table does not allow is a `ConflictError` (409).
 * The first comment is the first response. Escalating moves to tier 2. Resolving records the resolution and its
 * time. Reopening clears them and restarts the resolution clock from now (the first-response deadline stays).
 */
export function applyAction<S extends DeskState>(
  record: S,
  input: DeskActionInput,
  at: string,
  actor: string,
  policy: SlaPolicy,
): DeskChange<S> {
  const to = transitionOf(record.status, input.action);
  if (!to) throw new ConflictError(`A ${record.kind} that is ${record.status} cannot take the action ${input.action}.`);
  const next: S = { ...record, status: to, updatedAt: at, version: record.version + 1 };
  const entry: HistoryEntry = { at, actor, action: input.action, status: to };
  switch (input.action) {
    case 'assign':
      next.assignee = input.assignee;
      entry.assignee = input.assignee;
      break;
    case 'comment':
      next.firstRespondedAt ??= at;
      entry.note = input.note;
      break;
    case 'escalate':
      next.tier = 2;
      if (input.note !== undefined) entry.note = input.note;
      break;
    case 'resolve':
      next.resolvedAt = at;
      next.resolution = input.resolution;
      entry.note = input.resolution;
      entry.resolutionMinutes = minutesBetween(record.createdAt, at);
      break;
    case 'reopen': {
      delete next.resolvedAt;
      delete next.resolution;
      delete next.resolutionBreachedAt;
      next.resolutionDueAt = plusHours(at, policy[record.priority].resolutionHours);
      if (input.note !== undefined) entry.note = input.note;
      break;
    }
  }
  return change(record, next, [entry], ACTION_VERBS[input.action]);
}

// ------------------------------------------------------------------------------------------------ due work

/** The deadlines of an open record the monitor still has to watch, earliest first. */
function pendingDeadlines(record: DeskState): { deadline: Deadline; dueAt: string }[] {
  const pending: { deadline: Deadline; dueAt: string }[] = [];
  if (record.firstResponseDueAt && !record.firstRespondedAt && !record.firstResponseBreachedAt) {
    pending.push({ deadline: 'firstResponse', dueAt: record.firstResponseDueAt });
  }
  if (record.resolutionDueAt && !record.resolutionBreachedAt) {
    pending.push({ deadline: 'resolution', dueAt: record.resolutionDueAt });
  }
  return pending.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * When the SLA monitor next has something to do with a record, or undefined when nothing is pending (the record
 * then leaves the due-time index): triage of work still `NEW` after the grace period, the earliest SLA deadline not
 * yet met or breached while open, the closing of resolved work.
 */
export function nextDueAt(record: DeskState, policy: SlaPolicy): string | undefined {
  switch (record.status) {
    case 'NEW':
      return plusHours(record.createdAt, policy.triageGraceMinutes / 60);
    case 'OPEN':
    case 'IN_PROGRESS':
    case 'ESCALATED':
      return pendingDeadlines(record)[0]?.dueAt;
    case 'RESOLVED':
      return record.resolvedAt ? plusHours(record.resolvedAt, policy.closeAfterHours) : undefined;
    case 'CLOSED':
      return undefined;
  }
}

/**
 * What the SLA monitor does to a record at `now`, or undefined when nothing is due (so a second run changes
 * nothing):
 * - still `NEW` after the grace period: triaged, as the processor would have;
 * - open and past a deadline not yet met: `slaBreached`, the breach time kept per deadline, and — once in the
 *   record's life — escalated to tier 2 (`ESCALATED`, as the escalate action would);
 * - `RESOLVED` for the close-after period: `CLOSED`.
 */
export function applyDue<S extends DeskState>(
  record: S,
  now: string,
  actor: string,
  policy: SlaPolicy,
): DeskChange<S> | undefined {
  const due = nextDueAt(record, policy);
  if (due === undefined || due > now) return undefined;
  if (record.status === 'NEW') return triage(record, now, actor, policy);
  if (record.status === 'RESOLVED') {
    const next: S = { ...record, status: 'CLOSED', closedAt: now, updatedAt: now, version: record.version + 1 };
    return change(record, next, [{ at: now, actor, action: 'closed', status: 'CLOSED' }], 'closed');
  }
  const breached = pendingDeadlines(record).filter((p) => p.dueAt <= now);
  const next: S = { ...record, slaBreached: true, updatedAt: now, version: record.version + 1 };
  const entries: HistoryEntry[] = [];
  for (const { deadline } of breached) {
    if (deadline === 'firstResponse') next.firstResponseBreachedAt = now;
    else next.resolutionBreachedAt = now;
    entries.push({ at: now, actor, action: 'sla_breached', deadline, status: record.status });
  }
  if (!record.slaEscalatedAt) {
    next.slaEscalatedAt = now;
    next.tier = 2;
    next.status = transitionOf(record.status, 'escalate') ?? record.status;
    // Work an agent already escalated stays where it is; only the once-only marker is set.
    if (next.status !== record.status || record.tier !== 2) {
      entries.push({ at: now, actor, action: 'escalate', note: 'SLA deadline passed', status: next.status });
    }
  }
  return change(record, next, entries, 'sla_breached');
}

// ------------------------------------------------------------------------------------------------ summaries

/** What a summary is made of: a record's lifecycle fields, which its assignment item also holds. */
export interface DeskSummarySource {
  kind: DeskKind;
  id: string;
  status: DeskStatus;
  priority: Priority;
  category: string;
  subject: string;
  /** Cases: the customer (no details). */
  customerId?: string | undefined;
  /** Tickets: the employee who filed it. */
  requester?: string | undefined;
  tier?: number | undefined;
  assignee?: string | undefined;
  createdAt: string;
  updatedAt: string;
  firstResponseDueAt?: string | undefined;
  resolutionDueAt?: string | undefined;
  firstRespondedAt?: string | undefined;
  resolvedAt?: string | undefined;
  slaBreached: boolean;
}

/**
 * The summary of a case or ticket, as a list shows it (`GET /v1/cases`, `GET /v1/it-tickets`): its lifecycle, no
 * description, no customer details. Deadlines and tier are `null` until triage; `assignee`, `firstRespondedAt` and
 * `resolvedAt` appear once set.
 */
export function deskSummary(source: DeskSummarySource) {
  const isCase = source.kind === 'case';
  return {
    ...(isCase ? { caseId: source.id } : { ticketId: source.id }),
    status: source.status,
    category: source.category,
    priority: source.priority,
    subject: source.subject,
    ...(isCase ? { customerId: source.customerId! } : { requester: source.requester! }),
    tier: source.tier ?? null,
    ...(source.assignee !== undefined ? { assignee: source.assignee } : {}),
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
    firstResponseDueAt: source.firstResponseDueAt ?? null,
    resolutionDueAt: source.resolutionDueAt ?? null,
    ...(source.firstRespondedAt !== undefined ? { firstRespondedAt: source.firstRespondedAt } : {}),
    ...(source.resolvedAt !== undefined ? { resolvedAt: source.resolvedAt } : {}),
    slaBreached: source.slaBreached,
  };
}
export type DeskSummary = ReturnType<typeof deskSummary>;

/** What a list of cases or tickets may be narrowed by (`?status&priority&assignee`), each a key condition. */
export interface DeskListFilter {
  status?: DeskStatus | undefined;
  priority?: Priority | undefined;
  assignee?: string | undefined;
}

// ------------------------------------------------------------------------------------------------ input schemas

const text = (max: number) => z.string().trim().min(1).max(max);

export const prioritySchema = z.enum(PRIORITIES);

/** `POST /v1/cases` (docs/contract.md#customer-support). */
export const caseSubmissionSchema = z.object({
  customer: customerSchema,
  category: z.enum(['complaint', 'inquiry', 'return', 'billing', 'other']),
  priority: prioritySchema.default('normal'),
  subject: text(200),
  description: text(5000),
  orderId: z.string().trim().min(1).max(64).optional(),
});
export type CaseSubmission = z.infer<typeof caseSubmissionSchema>;

/** `POST /v1/it-tickets` (docs/contract.md#it-support); the requester comes from the token. */
export const ticketSubmissionSchema = z.object({
  category: z.enum(['hardware', 'software', 'access', 'network', 'other']),
  priority: prioritySchema.default('normal'),
  subject: text(200),
  description: text(5000),
});
export type TicketSubmission = z.infer<typeof ticketSubmissionSchema>;

/** `POST .../actions`: one object per action; an unknown action fails on `action` (400). */
export const deskActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: text(200) }),
  z.object({ action: z.literal('comment'), note: text(5000) }),
  z.object({ action: z.literal('escalate'), note: text(5000).optional() }),
  z.object({ action: z.literal('resolve'), resolution: text(5000) }),
  z.object({ action: z.literal('reopen'), note: text(5000).optional() }),
]);
