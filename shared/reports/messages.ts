import * as z from 'zod';
import type { QueueMessage } from '#shared/queue/send.ts';

/** The `detail` of a `report.requested` message on the `reports` queue (declared in shared/manifest.ts). */
export const reportRequestedDetailSchema = z.object({ type: z.string().min(1), period: z.string().min(1) });
export type ReportRequest = z.infer<typeof reportRequestedDetailSchema>;

/** The envelope asking the report processor for one report; its `id` names the report (`sales-daily/2026-11-23`). */
export function reportRequestedMessage(request: ReportRequest, correlationId: string): QueueMessage<'reports'> {
  return {
    type: 'report.requested',
    id: `${request.type}/${request.period}`,
    correlationId,
    detail: { type: request.type, period: request.period },
  };
}
