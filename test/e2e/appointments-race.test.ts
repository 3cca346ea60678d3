import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestStack, tokenFor, type LocalStack } from '../support/stack.ts';

/**
 * Double booking over HTTP against the local runtime: fifty simultaneous bookings of one resource's time, through the
 * gateway and the booking handler on DynamoDB Local, give exactly one 201, whether they ask for the same slot or for
 * different times that overlap; the others are 409 and nothing else is written.
 */
let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await tokenFor(stack, ['front-office'], { sub: 'front-race' });
});

afterAll(async () => {
  await stack?.stop();
});

const RACERS = 50;
const DAY = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
const at = (time: string) => `${DAY}T${time}:00Z`;

function booking(resourceId: string, i: number, start: string, end: string) {
  return call(stack, 'POST', '/v1/appointments', {
    token,
    // Five customers among the fifty: first bookings of one email race to create the customer as well.
    body: {
      resourceId,
      customer: { name: `Racer ${i}`, email: `racer-${i % 5}.${resourceId}@example.com` },
      start: at(start),
      end: at(end),
      purpose: `Race ${i}`,
    },
  });
}

async function listed(resourceId: string): Promise<{ appointmentId: string; start: string; end: string }[]> {
  const answer = await call(stack, 'GET', `/v1/appointments?resourceId=${resourceId}&from=${DAY}&to=${DAY}`, {
    token,
  });
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('fifty simultaneous bookings over HTTP', () => {
  it('of one slot: exactly one 201, forty-nine 409', async () => {
    const resourceId = `race-same-${Date.now().toString(36)}`;

    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => booking(resourceId, i, '10:00', '10:15')),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);
    const winner = answers.find((a) => a.status === 201)!.body.appointmentId;
    expect((await listed(resourceId)).map((a) => a.appointmentId)).toEqual([winner]);
  });

  it('of different but overlapping times (10:00–11:00, 10:45–11:00, …): exactly one 201', async () => {
    const resourceId = `race-overlap-${Date.now().toString(36)}`;
    // Every range holds the 10:45 slot; no two of them can both stand.
    const ranges = [
      ['10:00', '11:00'],
      ['10:45', '11:00'],
      ['10:30', '11:15'],
      ['10:45', '12:00'],
      ['09:00', '11:00'],
    ] as const;

    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => {
        const [start, end] = ranges[i % ranges.length]!;
        return booking(resourceId, i, start, end);
      }),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);
    const winner = answers.find((a) => a.status === 201)!.body.appointmentId;
    expect((await listed(resourceId)).map((a) => a.appointmentId)).toEqual([winner]);

    // Cancelled, its time is free again at once: the next booking of the contested slot stands.
    const cancelled = await call(stack, 'DELETE', `/v1/appointments/${winner}`, { token });
    const again = await booking(resourceId, RACERS, '10:45', '11:00');
    expect(cancelled.status).toBe(200);
    expect(again.status).toBe(201);
  });
});
