/**
 * (g) The capacity units of booking an appointment (an hour, a new customer; an hour, a known customer; eight hours,
 * the longest) and of cancelling the eight-hour one, through the real handlers.
 */
import { randomBytes } from 'node:crypto';
import { instrument, type DynamoCall } from './capacity.ts';
import { apiCaller, loadHandler, printRequests, table, type ApiHandler } from './shared.ts';

export interface AppointmentMeasurement {
  phases: { phase: string; readUnits: number; writeUnits: number; calls: number; transactItems: number }[];
  dynamo: DynamoCall[];
}

const PHASES = [
  'book 1 h, new customer',
  'book 1 h, known customer',
  'book 8 h, known customer',
  'cancel the 8 h booking',
] as const;

/**
 * Meters three bookings and one cancellation on an undeclared resource (a declared one adds only the read of its
 * hours, which every booking makes anyway). The process environment must point at the table, as for
 * `measureOrderCapacity`.
 */
export async function measureAppointmentCapacity(input: { dynamoEndpoint: string }): Promise<AppointmentMeasurement> {
  const { dynamo, sqs } = await import('#shared/platform/clients.ts');
  const { localDynamoClient } = await import('../local/dynamodb.ts');
  const reader = localDynamoClient(input.dynamoEndpoint);
  const meter = instrument(dynamo, sqs, reader);
  try {
    const book = await loadHandler<ApiHandler>('functions/appointments/book-appointment');
    const cancel = await loadHandler<ApiHandler>('functions/appointments/cancel-appointment');
    const call = await apiCaller();
    const run = randomBytes(3).toString('hex');
    const resourceId = `bench-room-${run}`;
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const customer = { name: 'Bench Customer With A Realistic Name', email: `bench.appointment.${run}@example.com` };
    const booking = (start: string, end: string) =>
      call(book, 'POST', '/v1/appointments', 'POST /v1/appointments', ['front-office'], {
        resourceId,
        customer,
        start: `${day}T${start}:00Z`,
        end: `${day}T${end}:00Z`,
        purpose: 'A purpose of a realistic length, a sentence or two about what the customer wants to discuss.',
      });

    meter.reset();
    meter.phase = PHASES[0];
    await booking('08:00', '09:00');
    meter.phase = PHASES[1];
    await booking('09:00', '10:00');
    meter.phase = PHASES[2];
    const long = await booking('10:00', '18:00');
    meter.phase = PHASES[3];
    const appointmentId = String(long.appointmentId);
    await call(
      cancel,
      'DELETE',
      `/v1/appointments/${appointmentId}`,
      'DELETE /v1/appointments/{appointmentId}',
      ['front-office'],
      undefined,
      { appointmentId },
    );

    const counted = [...meter.dynamo];
    return {
      phases: PHASES.map((phase) => {
        const calls = counted.filter((c) => c.phase === phase);
        return {
          phase,
          readUnits: calls.reduce((sum, c) => sum + c.readUnits, 0),
          writeUnits: calls.reduce((sum, c) => sum + c.writeUnits, 0),
          calls: calls.length,
          transactItems: calls.reduce((sum, c) => sum + (c.items?.length ?? 0), 0),
        };
      }),
      dynamo: counted,
    };
  } finally {
    meter.dispose();
    reader.destroy();
  }
}

export function printAppointmentCapacity(m: AppointmentMeasurement): void {
  console.log('\n(g) DynamoDB capacity of booking an appointment and of cancelling one\n');
  console.log(
    table([
      ['phase', 'requests', 'transaction items', 'write units', 'read units'],
      ...m.phases.map((p) => [
        p.phase,
        String(p.calls),
        String(p.transactItems),
        String(p.writeUnits),
        String(p.readUnits),
      ]),
    ]),
  );
  printRequests(m.dynamo, 24);
}
