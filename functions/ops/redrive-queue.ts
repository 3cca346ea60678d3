import * as z from 'zod';
import { httpRoute } from '#shared/http/route.ts';
import { NotFoundError } from '#shared/errors.ts';
import { allQueueUrls } from '#shared/platform/config.ts';
import { sqs } from '#shared/platform/clients.ts';
import { logger } from '#shared/platform/observability.ts';
import { redriveDeadLetters } from '#shared/services/ops-queues.ts';

const queues = allQueueUrls();

/**
 * Time for moving messages per call. Routes run with a 10 s Lambda timeout (infra FUNCTION_DEFAULTS); 6 s of
 * batches plus the last batch and the final empty 1 s long poll stay inside it, so a call never dies between a
 * send and its delete (which would duplicate, never lose, a message).
 */
const REDRIVE_BUDGET_MS = 6_000;

/**
 * `POST /v1/ops/queues/{name}/redrive` (ops, no body): moves the named queue's dead letters back onto it and answers
 * `{"moved":n}`. A dead-letter queue larger than one call can move in its time budget needs another call; the
 * answer is then non-zero, so an operator repeats until it says 0.
 */
export const handler = httpRoute(
  { route: 'POST /v1/ops/queues/{name}/redrive', params: z.object({ name: z.string().min(1).max(80) }) },
  async ({ params, caller }) => {
    const queue = queues.find((q) => q.name === params.name);
    if (!queue) throw new NotFoundError(`There is no queue named ${params.name}.`);
    const result = await redriveDeadLetters(sqs, queue, { budgetMs: REDRIVE_BUDGET_MS });
    logger.info('redrove dead letters', { queue: queue.name, by: caller.sub, ...result });
    return { status: 200, body: { moved: result.moved } };
  },
);
