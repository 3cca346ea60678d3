import { httpRoute } from '#shared/http/route.ts';
import { allQueueUrls } from '#shared/platform/config.ts';
import { sqs } from '#shared/platform/clients.ts';
import { queueDepths } from '#shared/services/ops-queues.ts';

const queues = allQueueUrls();

/** `GET /v1/ops/queues` (ops): per queue, messages waiting, in flight and in its dead-letter queue. */
export const handler = httpRoute({ route: 'GET /v1/ops/queues' }, async () => ({
  status: 200,
  body: { queues: await queueDepths(sqs, queues) },
}));
