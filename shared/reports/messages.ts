import * as z from 'zod';
import type { Envelope } from '#shared/queue/envelope.ts';

/** Message types on the `reports` queue. */
export const ReportMessage = {
  /** Generate (or regenerate) one report type for one UTC day; `detail` is `{type, period}`. */
  requested: 'report.requested',
} as const;

export const reportRequestedDetailSchema = z.object({ type: z.string().min(1), period: z.string().min(1) });
export type ReportRequest = z.infer<typeof reportRequestedDetailSchema>;

/** The envelope asking the report processor for one report; its `id` names the report (`sales-daily/2026-11-23`). */
export function reportRequestedMessage(request: ReportRequest, correlationId: string): Omit<Envelope, 'sentAt'> {
  return {
    type: ReportMessage.requested,
    id: `${request.type}/${request.period}`,
    correlationId,
    detail: { type: request.type, period: request.period },
  };
}
