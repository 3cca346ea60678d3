import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * `GET /health` (public): answers 200 once the function can run at all. It touches no dependency, so an outage of
 * DynamoDB or SQS shows up in the alarms and the ops routes rather than taking the health check down with it. It
 * takes no input and checks no caller, so it skips the shared HTTP stack: its bundle carries no AWS client, logger or
 * middleware (under 1 KB instead of about 500 KB), and an uptime monitor's probe is never a slow cold start.
 */
export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'ok' }),
});
