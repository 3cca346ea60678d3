import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLA_POLICY,
  DESK_ACTIONS,
  DESK_STATUSES,
  TRANSITIONS,
  applyAction,
  applyDue,
  deskActionSchema,
  nextDueAt,
  slaPolicyFromEnv,
  triage,
  type DeskAction,
  type DeskActionInput,
  type DeskState,
  type DeskStatus,
  type Priority,
} from '#shared/domain/desk.ts';
import { ConflictError } from '#shared/errors.ts';

/** The contract's action table (docs/contract.md#customer-support): the test parses it, so the code is checked
 * against the contract as written. */
const CONTRACT_TABLE = (() => {
  const contract = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
  const section = contract.slice(contract.indexOf('| from \\ action |'));
  return section.slice(0, section.indexOf('\n\n'));
})();

/** Every (from, action) cell of a markdown transition table: the resulting status, or 409. */
function parseTable(markdown: string): Map<string, string> {
  const lines = markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'));
  const header = lines[0]!
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim());
  const cells = new Map<string, string>();
  for (const line of lines.slice(2)) {
    const [fromCell, ...results] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/`/g, ''));
    for (const from of fromCell!.split(',').map((s) => s.trim())) {
      results.forEach((result, i) => cells.set(`${from} ${header[i]}`, result));
    }
  }
  return cells;
}

const T0 = '2026-11-23T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const HOUR = 60;

function record(overrides: Partial<DeskState> = {}): DeskState {
  return {
    kind: 'case',
    id: 'cas_1',
    status: 'NEW',
    priority: 'normal',
    category: 'complaint',
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    slaBreached: false,
    ...overrides,
  };
}

function opened(priority: Priority = 'normal'): DeskState {
  return triage(record({ priority }), at(1), 'system:test', DEFAULT_SLA_POLICY).next;
}

const INPUTS: Record<DeskAction, DeskActionInput> = {
  assign: { action: 'assign', assignee: 'agent-1' },
  comment: { action: 'comment', note: 'We are looking into it.' },
  escalate: { action: 'escalate', note: 'Needs tier 2.' },
  resolve: { action: 'resolve', resolution: 'Refunded.' },
  reopen: { action: 'reopen', note: 'Customer wrote back.' },
};

describe('the transition table', () => {
  const contract = parseTable(CONTRACT_TABLE);

  it('is the action table in docs/contract.md exactly, cell by cell', () => {
    for (const from of DESK_STATUSES) {
      for (const action of DESK_ACTIONS) {
        expect({ from, action, to: TRANSITIONS[from][action] ?? '409' }).toEqual({
          from,
          action,
          to: contract.get(`${from} ${action}`),
        });
      }
    }
  });

  it('is written the same in docs/decisions.md', () => {
    const docs = readFileSync(new URL('../../docs/decisions.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('| from \\ action |'));
    expect(parseTable(section.slice(0, section.indexOf('\n\n')))).toEqual(contract);
  });

  describe.each(DESK_STATUSES.flatMap((from) => DESK_ACTIONS.map((action) => [from, action] as const)))(
    '%s + %s',
    (from, action) => {
      const expected = contract.get(`${from} ${action}`)!;
      it(expected === '409' ? 'is refused as a conflict and changes nothing' : `leads to ${expected}`, () => {
        const before = { ...opened(), status: from as DeskStatus };
        const apply = () => applyAction(before, INPUTS[action], at(10), 'agent-1', DEFAULT_SLA_POLICY);
        if (expected === '409') {
          expect(apply).toThrow(ConflictError);
          expect(before.status).toBe(from);
        } else {
          const change = apply();
          expect(change.next.status).toBe(expected);
          expect(change.next.version).toBe(before.version + 1);
          expect(change.entries).toEqual([
            expect.objectContaining({ action, actor: 'agent-1', status: expected, at: at(10) }),
          ]);
          expect(change.auditAction).toMatch(/^case\./);
        }
      });
    },
  );
});

describe('triage and SLA deadlines', () => {
  it.each([
    ['urgent', 1, 4],
    ['high', 4, 24],
    ['normal', 8, 72],
    ['low', 24, 120],
  ] as const)(
    'gives %s work %i h to answer and %i h to resolve, counted from the submission',
    (priority, first, resolution) => {
      const change = triage(record({ priority }), at(3), 'system:triage', DEFAULT_SLA_POLICY);

      expect(change.next).toMatchObject({
        status: 'OPEN',
        tier: 1,
        firstResponseDueAt: at(first * HOUR),
        resolutionDueAt: at(resolution * HOUR),
        version: 2,
      });
      expect(change.entries).toEqual([{ at: at(3), actor: 'system:triage', action: 'triaged', status: 'OPEN' }]);
    },
  );

  it('takes a fixed resolution deadline from the record, the first response due no later than it', () => {
    const far = triage(record({ priority: 'high', resolutionDueBy: at(50 * HOUR) }), at(1), 'x', DEFAULT_SLA_POLICY);
    const near = triage(record({ priority: 'high', resolutionDueBy: at(2 * HOUR) }), at(1), 'x', DEFAULT_SLA_POLICY);
    const past = triage(record({ priority: 'low', resolutionDueBy: at(-HOUR) }), at(1), 'x', DEFAULT_SLA_POLICY);

    expect(far.next).toMatchObject({ firstResponseDueAt: at(4 * HOUR), resolutionDueAt: at(50 * HOUR) });
    expect(near.next).toMatchObject({ firstResponseDueAt: at(2 * HOUR), resolutionDueAt: at(2 * HOUR) });
    expect(past.next).toMatchObject({ firstResponseDueAt: at(-HOUR), resolutionDueAt: at(-HOUR) });
    expect(nextDueAt(past.next, DEFAULT_SLA_POLICY)).toBe(at(-HOUR));
  });

  it('refuses to triage twice', () => {
    expect(() => triage(opened(), at(5), 'system:triage', DEFAULT_SLA_POLICY)).toThrow(ConflictError);
  });

  it('reads the hours from SLA_POLICY, keeping the defaults for whatever it leaves out', () => {
    const policy = slaPolicyFromEnv({
      SLA_POLICY: '{"urgent":{"firstResponseHours":0.5,"resolutionHours":2},"closeAfterHours":24}',
    });

    expect(policy.urgent).toEqual({ firstResponseHours: 0.5, resolutionHours: 2 });
    expect(policy.low).toEqual(DEFAULT_SLA_POLICY.low);
    expect(triage(record({ priority: 'urgent' }), at(0), 'x', policy).next.firstResponseDueAt).toBe(at(30));
    expect(slaPolicyFromEnv({})).toEqual(DEFAULT_SLA_POLICY);
  });

  it("merges an override of one deadline with that priority's other default", () => {
    const policy = slaPolicyFromEnv({ SLA_POLICY: '{"urgent":{"resolutionHours":2},"low":{"firstResponseHours":12}}' });

    expect(policy.urgent).toEqual({ firstResponseHours: 1, resolutionHours: 2 });
    expect(policy.low).toEqual({ firstResponseHours: 12, resolutionHours: 120 });
    expect(policy.high).toEqual({ firstResponseHours: 4, resolutionHours: 24 });
    expect(policy.normal).toEqual({ firstResponseHours: 8, resolutionHours: 72 });
    expect(triage(record({ priority: 'urgent' }), at(0), 'x', policy).next).toMatchObject({
      firstResponseDueAt: at(1 * HOUR),
      resolutionDueAt: at(2 * HOUR),
    });
  });

  it('accepts a first response due exactly at the resolution', () => {
    expect(slaPolicyFromEnv({ SLA_POLICY: '{"urgent":{"firstResponseHours":4}}' }).urgent).toEqual({
      firstResponseHours: 4,
      resolutionHours: 4,
    });
  });

  it('keeps every default for an empty priority object', () => {
    expect(slaPolicyFromEnv({ SLA_POLICY: '{"high":{}}' })).toEqual(DEFAULT_SLA_POLICY);
  });

  it('fails at cold start on malformed JSON', () => {
    expect(() => slaPolicyFromEnv({ SLA_POLICY: '{nope' })).toThrow(/SLA_POLICY is not valid JSON/);
  });

  it.each([
    ['a negative hour count', '{"high":{"firstResponseHours":-1,"resolutionHours":2}}', 'high.firstResponseHours'],
    ['zero hours in a partial override', '{"urgent":{"resolutionHours":0}}', 'urgent.resolutionHours'],
    ['hours given as a string', '{"normal":{"firstResponseHours":"8"}}', 'normal.firstResponseHours'],
    ['more than a year', '{"low":{"resolutionHours":8761}}', 'low.resolutionHours'],
    ['a priority that does not exist', '{"critical":{"firstResponseHours":1}}', ''],
    ['a misspelt deadline field', '{"urgent":{"resolutionHour":2}}', 'urgent'],
    ['a priority that is not an object', '{"urgent":4}', 'urgent'],
    ['a non-positive close-after period', '{"closeAfterHours":0}', 'closeAfterHours'],
    ['a policy that is not an object', '[1]', ''],
    ['a first response due after the resolution, once merged', '{"urgent":{"firstResponseHours":6}}', 'urgent'],
    ['a resolution due before the first response', '{"low":{"firstResponseHours":10,"resolutionHours":9}}', 'low'],
  ])('fails at cold start on %s', (_case, raw, path) => {
    let thrown: unknown;
    try {
      slaPolicyFromEnv({ SLA_POLICY: raw });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(z.ZodError);
    expect((thrown as z.ZodError).issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('actions', () => {
  it('takes the first comment as the first response, and only the first', () => {
    const first = applyAction(opened(), INPUTS.comment, at(30), 'a', DEFAULT_SLA_POLICY).next;
    const second = applyAction(first, { action: 'comment', note: 'More.' }, at(40), 'b', DEFAULT_SLA_POLICY);

    expect(first.firstRespondedAt).toBe(at(30));
    expect(second.next.firstRespondedAt).toBe(at(30));
    expect(second.changes).toEqual([]);
  });

  it('moves escalated work to tier 2 and records the resolution with its minutes', () => {
    const escalated = applyAction(opened(), INPUTS.escalate, at(30), 'a', DEFAULT_SLA_POLICY);
    const resolved = applyAction(escalated.next, INPUTS.resolve, at(90), 'a', DEFAULT_SLA_POLICY);

    expect(escalated.next).toMatchObject({ status: 'ESCALATED', tier: 2 });
    expect(escalated.changes).toEqual(['status', 'tier']);
    expect(resolved.next).toMatchObject({ status: 'RESOLVED', resolvedAt: at(90), resolution: 'Refunded.' });
    expect(resolved.entries[0]).toMatchObject({ action: 'resolve', note: 'Refunded.', resolutionMinutes: 90 });
  });

  it('restarts the resolution clock on reopen and forgets the resolution', () => {
    const resolved = applyAction(opened('high'), INPUTS.resolve, at(60), 'a', DEFAULT_SLA_POLICY).next;
    const reopened = applyAction(resolved, INPUTS.reopen, at(600), 'a', DEFAULT_SLA_POLICY).next;

    expect(reopened).toMatchObject({ status: 'OPEN', resolutionDueAt: at(600 + 24 * HOUR) });
    expect(reopened).not.toHaveProperty('resolvedAt');
    expect(reopened).not.toHaveProperty('resolution');
  });

  it('refuses an unknown action and lists missing fields per action', () => {
    expect(deskActionSchema.safeParse({ action: 'delete' }).success).toBe(false);
    expect(deskActionSchema.safeParse({ action: 'assign' }).error?.issues.map((i) => i.path.join('.'))).toEqual([
      'assignee',
    ]);
    expect(deskActionSchema.safeParse({ action: 'comment', note: ' ' }).success).toBe(false);
    expect(deskActionSchema.safeParse({ action: 'escalate' }).success).toBe(true);
  });
});

describe('what falls due', () => {
  const policy = DEFAULT_SLA_POLICY;

  it('triages work still NEW after the grace period, and not before', () => {
    const fresh = record();

    expect(nextDueAt(fresh, policy)).toBe(at(5));
    expect(applyDue(fresh, at(4), 'm', policy)).toBeUndefined();
    expect(applyDue(fresh, at(5), 'm', policy)?.next).toMatchObject({ status: 'OPEN', tier: 1 });
  });

  it('marks a missed first response as a breach and escalates to tier 2 once; a second run changes nothing', () => {
    const open = opened('urgent');

    expect(applyDue(open, at(59), 'm', policy)).toBeUndefined();
    const breach = applyDue(open, at(61), 'm', policy)!;
    expect(breach.next).toMatchObject({
      status: 'ESCALATED',
      tier: 2,
      slaBreached: true,
      firstResponseBreachedAt: at(61),
      slaEscalatedAt: at(61),
    });
    expect(breach.entries.map((e) => [e.action, e.deadline])).toEqual([
      ['sla_breached', 'firstResponse'],
      ['escalate', undefined],
    ]);
    expect(nextDueAt(breach.next, policy)).toBe(open.resolutionDueAt);
    expect(applyDue(breach.next, at(62), 'm', policy)).toBeUndefined();

    const later = applyDue(breach.next, at(4 * HOUR), 'm', policy)!;
    expect(later.next).toMatchObject({
      status: 'ESCALATED',
      tier: 2,
      resolutionBreachedAt: at(4 * HOUR),
      slaEscalatedAt: at(61),
    });
    expect(later.entries.map((e) => e.action)).toEqual(['sla_breached']);
    expect(nextDueAt(later.next, policy)).toBeUndefined();
  });

  it('does not escalate again after a reopen, but watches the new resolution deadline', () => {
    const breached = applyDue(opened('urgent'), at(61), 'm', policy)!.next;
    const resolved = applyAction(breached, INPUTS.resolve, at(70), 'a', policy).next;
    const reopened = applyAction(resolved, INPUTS.reopen, at(80), 'a', policy).next;

    const again = applyDue(reopened, at(80 + 4 * HOUR), 'm', policy)!;

    expect(again.next).toMatchObject({ status: 'OPEN', tier: 2, resolutionBreachedAt: at(80 + 4 * HOUR) });
    expect(again.entries.map((e) => e.action)).toEqual(['sla_breached']);
  });

  it('counts an answered case as on time for its first response', () => {
    const answered = applyAction(opened('urgent'), INPUTS.comment, at(30), 'a', policy).next;

    expect(nextDueAt(answered, policy)).toBe(answered.resolutionDueAt);
    expect(applyDue(answered, at(90), 'm', policy)).toBeUndefined();
  });

  it('marks work an agent already escalated as breached without a second escalation line', () => {
    const escalated = applyAction(opened('urgent'), INPUTS.escalate, at(10), 'a', policy).next;

    const breach = applyDue(escalated, at(61), 'm', policy)!;

    expect(breach.next).toMatchObject({ status: 'ESCALATED', tier: 2, slaBreached: true, slaEscalatedAt: at(61) });
    expect(breach.entries.map((e) => e.action)).toEqual(['sla_breached']);
  });

  it('closes resolved work 7 days after its resolution, and leaves closed work alone', () => {
    const resolved = applyAction(opened(), INPUTS.resolve, at(60), 'a', policy).next;

    expect(nextDueAt(resolved, policy)).toBe(at(60 + 7 * 24 * HOUR));
    expect(applyDue(resolved, at(60 + 7 * 24 * HOUR - 1), 'm', policy)).toBeUndefined();
    const closed = applyDue(resolved, at(60 + 7 * 24 * HOUR), 'm', policy)!.next;
    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: at(60 + 7 * 24 * HOUR) });
    expect(nextDueAt(closed, policy)).toBeUndefined();
  });

  it('does not breach resolved work whose deadlines pass while it waits to close', () => {
    const resolved = applyAction(opened('urgent'), INPUTS.resolve, at(30), 'a', policy).next;

    expect(applyDue(resolved, at(5 * HOUR), 'm', policy)).toBeUndefined();
  });
});
