import { ConcurrencyError, ConflictError, NotFoundError } from '#shared/errors.ts';
import { newId } from '#shared/ids.ts';
import {
  BOOKED_FIELDS,
  bookAppointment,
  cancelAppointment,
  checkOpeningHours,
  checkStartNotPast,
  putResource,
  type Appointment,
  type BookingInput,
  type Resource,
  type ResourceInput,
} from '#shared/domain/appointments.ts';
import { makeAppointmentStore } from '#shared/data/appointments.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import type { PageRequest } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';
import {
  TransactionConditionError,
  transactWrite,
  withConcurrencyRetry,
  type TransactItem,
} from '#shared/data/transact.ts';
import { makeCustomerService } from '#shared/services/customers.ts';
import { withRemember, writeOrRetry, type Remember, type ServiceDeps } from '#shared/services/write.ts';

export interface BookedAppointment {
  appointmentId: string;
}

/**
 * Appointments (docs/contract.md#appointments). A booking is one transaction: the appointment, one slot item per 15
 * minutes it covers (each created only where none exists), its audit event, a new customer's items and the
 * idempotency record; a slot that exists fails the whole transaction, so two overlapping bookings of a resource can
 * never both commit, however they race (docs/decisions.md#appointments). A cancellation is one transaction of the
 * appointment's update (while still `BOOKED`), the deletion of its slots and its audit event.
 */
export function makeAppointmentService({ doc, tableName, now = () => new Date() }: ServiceDeps) {
  const store = makeAppointmentStore({ doc, tableName });
  const customers = makeCustomerService({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /**
   * Books: a start in the past → 400; a declared resource closed for part of the time → 409; a slot of the time
   * already held by another booking → 409 naming the resource, not who holds it. Nothing is written on a refusal.
   */
  async function book(
    input: BookingInput,
    context: { actor: string; correlationId: string; remember?: Remember<BookedAppointment> | undefined },
  ): Promise<BookedAppointment> {
    checkStartNotPast(input.start, now());
    checkOpeningHours(await store.getResource(input.resourceId), input.start, input.end);
    const appointmentId = newId('appointment');
    const result: BookedAppointment = { appointmentId };
    await withConcurrencyRetry(async () => {
      const at = now().toISOString();
      const { customerId, items: newCustomer } = await customers.findOrCreateCustomer(input.customer, {
        actor: context.actor,
        at,
      });
      const appointment = bookAppointment(appointmentId, input, customerId, at);
      const created = store.newAppointmentItems(appointment, context.correlationId);
      const tx: TransactItem[] = [
        created.appointment,
        audit.eventItem({
          actor: context.actor,
          action: 'appointment.booked',
          entityType: 'appointment',
          entityId: appointmentId,
          at,
          status: appointment.status,
          changes: BOOKED_FIELDS,
          related: [{ entityType: 'customer', entityId: customerId }],
        }),
        ...newCustomer,
      ];
      const firstSlot = tx.length;
      tx.push(...created.slots);
      const lastSlot = tx.length - 1;
      const rememberIndex = withRemember(tx, context.remember, result);
      try {
        await transactWrite(doc, tx);
      } catch (error) {
        if (!(error instanceof TransactionConditionError)) throw error;
        // A request with the same Idempotency-Key won: the HTTP stack replays its answer.
        if (rememberIndex !== undefined && error.failedIndexes.includes(rememberIndex)) throw error;
        if (error.failedIndexes.some((index) => index >= firstSlot && index <= lastSlot)) {
          throw new ConflictError(
            `Resource ${input.resourceId} is already booked for part of ${input.start} – ${input.end}.`,
          );
        }
        // Another request registered the customer's email first: re-read and reuse that id.
        throw new ConcurrencyError('The customer was registered meanwhile; re-read and retry');
      }
    });
    return result;
  }

  /** An appointment; `NotFoundError` when there is none. */
  async function get(appointmentId: string, consistent = false): Promise<Appointment> {
    const appointment = await store.getAppointment(appointmentId, consistent);
    if (!appointment) throw new NotFoundError(`Appointment ${appointmentId} was not found.`);
    return appointment;
  }

  /**
   * Cancels: the appointment becomes `CANCELLED` (kept, audited) and its slots are deleted in the same transaction,
   * conditional on it still being `BOOKED`. Already cancelled → 409; a concurrent cancellation that won makes this
   * one re-read and answer 409 too.
   */
  function cancel(appointmentId: string, actor: string): Promise<Appointment> {
    return withConcurrencyRetry(async () => {
      const before = await get(appointmentId, true);
      const after = cancelAppointment(before, now().toISOString());
      const event = audit.eventItem({
        actor,
        action: 'appointment.cancelled',
        entityType: 'appointment',
        entityId: appointmentId,
        at: after.updatedAt,
        status: after.status,
        changes: ['status', 'cancelledAt'],
      });
      await writeOrRetry(doc, [...store.cancelItems(before, after), event], undefined);
      return after;
    });
  }

  /** A page of a resource's appointments starting in `[from, to)`, oldest first, cancelled ones included. */
  function list(resourceId: string, from: Date, to: Date, page: PageRequest): Promise<Page<Appointment>> {
    return store.listByResource(resourceId, from.toISOString(), to.toISOString(), page);
  }

  /**
   * Declares a resource or replaces its name and hours (audited by field name); `created` tells which. Bookings made
   * before a change of hours stay as they are.
   */
  function declareResource(
    resourceId: string,
    input: ResourceInput,
    actor: string,
  ): Promise<{ created: boolean; resource: Resource }> {
    return withConcurrencyRetry(async () => {
      const before = await store.getResource(resourceId, true);
      const at = now().toISOString();
      const { next, changes } = putResource(resourceId, input, before, at);
      if (changes.length === 0) return { created: false, resource: next };
      const event = audit.eventItem({
        actor,
        action: before ? 'appointmentResource.updated' : 'appointmentResource.created',
        entityType: 'appointmentResource',
        entityId: resourceId,
        at,
        changes,
      });
      // Two first PUTs racing: the loser's create fails its condition, re-reads and replaces.
      await writeOrRetry(doc, [store.putResourceItem(before, next), event], undefined);
      return { created: !before, resource: next };
    });
  }

  return {
    book,
    get,
    cancel,
    list,
    declareResource,
    listResources: (page: PageRequest): Promise<Page<Resource>> => store.resources.page({}, page),
  };
}

export type AppointmentService = ReturnType<typeof makeAppointmentService>;
