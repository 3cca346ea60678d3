import { httpRoute } from '#shared/http/route.ts';

/**
 * `GET /health` (public): answers 200 once the function can run at all. It touches no dependency, so an outage of
 * DynamoDB or SQS shows up in the alarms and the ops routes rather than taking the health check down with it.
 */
export const handler = httpRoute({ route: 'GET /health' }, async () => ({ status: 200, body: { status: 'ok' } }));
