/**
 * Factories shared by the service-desk integration tests (not a test file itself): request bodies, a desk service on
 * this file's table with a clock the test moves, and helpers that drive a record into a given state.
 */
import { DEFAULT_SLA_POLICY, caseSubmissionSchema, type DeskKind } from '#shared/domain/desk.ts';
import { makeDeskStore, type DeskRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { makeAuditLog, type AuditEvent } from '#shared/data/audit.ts';
import { testClients, testResources } from '../support/index.ts';

export { call } from './orders-inventory-fixtures.ts';

let emails = 0;
/** An email no other test of the run uses. */
export function freshEmail(prefix = 'customer'): string {
  return `${prefix}-${Date.now().toString(36)}-${++emails}@example.com`;
}

/** A POST /v1/cases body. */
export function caseBody(overrides: Record<string, unknown> = {}) {
  return {
    customer: { name: 'Ada Lovelace', email: freshEmail(), phone: '+44 20 7946 0000' },
    category: 'complaint',
    priority: 'high',
    subject: 'Parcel arrived damaged',
    description: 'The box was crushed and the widget inside is bent.',
    ...overrides,
  };
}

/** A POST /v1/it-tickets body. */
export function ticketBody(overrides: Record<string, unknown> = {}) {
  return {
    category: 'hardware',
    priority: 'normal',
    subject: 'Laptop will not boot',
    description: 'Black screen since the update.',
    ...overrides,
  };
}

/** A clock a test sets; services built by `deskAt` read it. */
export interface Clock {
  now: Date;
  /** Moves the clock by minutes and returns the new instant. */
  advance(minutes: number): Date;
}

export function clockAt(iso: string): Clock {
  const clock: Clock = {
    now: new Date(iso),
    advance(minutes) {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
      return clock.now;
    },
  };
  return clock;
}

/** The desk service on this file's table, reading `clock`. */
export function deskAt(clock: Clock, policy = DEFAULT_SLA_POLICY) {
  return makeDeskService({
    doc: testClients().doc,
    tableName: testResources().tableName,
    now: () => clock.now,
    policy,
  });
}

/** The stored record, read consistently. */
export async function readRecord(kind: DeskKind, id: string): Promise<DeskRecord | undefined> {
  return makeDeskStore({
    doc: testClients().doc,
    tableName: testResources().tableName,
    policy: DEFAULT_SLA_POLICY,
  }).getRecord(kind, id);
}

export async function auditOf(entityId: string): Promise<AuditEvent[]> {
  return (
    await makeAuditLog({ doc: testClients().doc, tableName: testResources().tableName }).byEntity.page(
      { entityId: entityId },
      { limit: 200 },
    )
  ).items;
}

/** A case submitted and triaged through the service at the clock's time. */
export async function openCase(
  desk: ReturnType<typeof deskAt>,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { caseId } = await desk.submitCase(caseSubmissionSchema.parse(caseBody(overrides)), {
    actor: 'front-1',
    correlationId: 'test',
  });
  await desk.triage('case', caseId, 'system:test');
  return caseId;
}

/** A valid, unused email address of exactly `length` characters (labels of at most 51), for the 254 limit. */
export function emailOfLength(length: number): string {
  const local = freshEmail('limit').split('@')[0]!;
  const tail = '.example.com';
  let domain = '';
  while (local.length + 1 + domain.length + tail.length < length) domain += domain.length % 52 === 51 ? '.' : 'd';
  if (domain.endsWith('.')) domain = `${domain.slice(0, -1)}d`;
  return `${local}@${domain}${tail}`;
}
