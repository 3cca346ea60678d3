import * as z from 'zod';

/**
 * The body of every queue message: what happened (`type`), to which entity (`id`), and the correlation id of the
 * HTTP request that started it, so one id follows a submission into the processor's logs. Messages carry ids, not
 * data: the processor reads the current state from the table, which makes redelivery harmless.
 */
export const envelopeSchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1),
  correlationId: z.string().min(1),
  sentAt: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

// Sending one, typed by the message types its queue declares: `sendMessage` in shared/queue/send.ts.
