import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import {
  APPOINTMENT_STATUSES,
  WEEKDAYS,
  slotStarts,
  type Appointment,
  type OpeningHours,
  type Resource,
} from '#shared/domain/appointments.ts';
import { createPut, guardedUpdate, type TransactItem } from '#shared/data/transact.ts';
import {
  changedAttributes,
  checkedStartKey,
  patternReader,
  queryInput,
  type PageRequest,
  type TableRef,
} from '#shared/data/query.ts';
import { decodeCursor, encodeCursor, type Page } from '#shared/data/pagination.ts';

/** How long a slot item outlives its appointment's end before TTL removes it: a past slot can never be booked. */
const SLOT_RETENTION_SECONDS = 24 * 3600;

/** An appointment as stored (`APPOINTMENT#<id>` / `APPOINTMENT`), with its entries on gsi1, gsi2 and gsi3. */
export const appointmentItemSchema = z.object({
  entity: z.literal('appointment'),
  appointmentId: z.string(),
  resourceId: z.string(),
  customerId: z.string(),
  customer: z.object({ name: z.string(), email: z.string() }),
  start: z.string(),
  end: z.string(),
  purpose: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
  correlationId: z.string().optional(),
});

const intervalsSchema = z.array(z.object({ from: z.string(), to: z.string() }));

/** A resource as stored (`RESOURCE#<id>` / `RESOURCE`), listed on gsi2. */
export const resourceItemSchema = z.object({
  entity: z.literal('appointmentResource'),
  resourceId: z.string(),
  name: z.string(),
  openingHours: z.object(
    Object.fromEntries(WEEKDAYS.map((day) => [day, intervalsSchema.optional()])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodOptional<typeof intervalsSchema>
    >,
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

function appointmentFromItem(item: Record<string, unknown>): Appointment {
  const { entity: _entity, correlationId: _correlationId, ...appointment } = appointmentItemSchema.parse(item);
  return appointment;
}

function resourceFromItem(item: Record<string, unknown>): Resource {
  const { entity: _entity, openingHours, ...resource } = resourceItemSchema.parse(item);
  return { ...resource, openingHours: openingHours as OpeningHours };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * Appointments, their slot items and resources. A booking is the appointment (on a resource's schedule, gsi1; the
 * customer's timeline, gsi2; its start day, gsi3) plus one slot item per 15 minutes it covers, each created only
 * where none exists; a cancellation updates the appointment while it is still `BOOKED` and deletes its slots.
 */
export function makeAppointmentStore({ doc, tableName }: TableRef) {
  return {
    /** The items a booking creates: the appointment, then its slot items in time order (each "does not exist"). */
    newAppointmentItems(
      appointment: Appointment,
      correlationId: string,
    ): { appointment: TransactItem; slots: TransactItem[] } {
      const expiresAt = Math.floor(Date.parse(appointment.end) / 1000) + SLOT_RETENTION_SECONDS;
      return {
        appointment: createPut(tableName, {
          ...keys.appointment.key(appointment),
          ...keys.appointmentByResource.key(appointment),
          ...keys.customerRecord.key({ ...appointment, type: 'APPOINTMENT', id: appointment.appointmentId }),
          ...keys.appointmentByDay.key(appointment),
          entity: 'appointment',
          ...withoutUndefined({ ...appointment }),
          correlationId,
        }),
        slots: slotStarts(appointment.start, appointment.end).map((slotStart) =>
          createPut(tableName, {
            ...keys.appointmentSlot.key({ resourceId: appointment.resourceId, slotStart }),
            entity: 'appointmentSlot',
            resourceId: appointment.resourceId,
            slotStart,
            appointmentId: appointment.appointmentId,
            expiresAt,
          }),
        ),
      };
    },

    /**
     * The items of a cancellation: the appointment's update, only while it is still `BOOKED` (so a second or a
     * concurrent cancellation cannot apply twice), then the deletion of each of its slots. The slots need no
     * condition of their own: only this update's transaction deletes them, and it commits once.
     */
    cancelItems(before: Appointment, after: Appointment): TransactItem[] {
      const set = changedAttributes(withoutUndefined({ ...before }), withoutUndefined({ ...after }));
      return [
        guardedUpdate(tableName, keys.appointment.key(before), set, { status: 'BOOKED' }),
        ...slotStarts(before.start, before.end).map((slotStart): TransactItem => ({
          Delete: { TableName: tableName, Key: keys.appointmentSlot.key({ resourceId: before.resourceId, slotStart }) },
        })),
      ];
    },

    /** An appointment by id; `consistent` for a read a change is decided on. */
    async getAppointment(appointmentId: string, consistent = false): Promise<Appointment | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.appointment.key({ appointmentId }),
          ...(consistent ? { ConsistentRead: true } : {}),
        }),
      );
      return Item ? appointmentFromItem(Item) : undefined;
    },

    /**
     * A page of a resource's appointments starting in `[from, to)`, oldest first (gsi1, `BETWEEN from AND to`: a
     * start equal to `to` sorts after it, its sort key going on with `#<id>`). The cursor is signed with the
     * resource and the range, so it never opens another list or range.
     */
    async listByResource(resourceId: string, from: string, to: string, page: PageRequest): Promise<Page<Appointment>> {
      const query = keys.appointmentByResource.query({ resourceId }, { from, before: to });
      const scope = `appointments:${query.partition}:${from}:${to}`;
      const result = await doc.send(
        new QueryCommand({
          ...queryInput(tableName, query),
          Limit: page.limit,
          ExclusiveStartKey: checkedStartKey(await decodeCursor(page.cursor, scope), query),
        }),
      );
      return {
        items: (result.Items ?? []).map(appointmentFromItem),
        nextCursor: await encodeCursor(result.LastEvaluatedKey as Record<string, string> | undefined, scope),
      };
    },

    /** The items of a resource's PUT: a new one (must not exist), or the replacement of the version read. */
    putResourceItem(before: Resource | undefined, after: Resource): TransactItem {
      const stored = { entity: 'appointmentResource', ...after };
      if (!before) {
        return createPut(tableName, {
          ...keys.appointmentResource.key(after),
          ...keys.appointmentResourceList.key(after),
          ...stored,
        });
      }
      const set = changedAttributes({ entity: 'appointmentResource', ...before }, stored);
      return guardedUpdate(tableName, keys.appointmentResource.key(before), set, { version: before.version });
    },

    /** A resource by id; `consistent` for a read a change is decided on. */
    async getResource(resourceId: string, consistent = false): Promise<Resource | undefined> {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.appointmentResource.key({ resourceId }),
          ...(consistent ? { ConsistentRead: true } : {}),
        }),
      );
      return Item ? resourceFromItem(Item) : undefined;
    },

    /** Every declared resource, by id. */
    resources: patternReader({ doc, tableName }, keys.appointmentResourceList, resourceFromItem),
  };
}

export type AppointmentStore = ReturnType<typeof makeAppointmentStore>;
