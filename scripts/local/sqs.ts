import { createSqsServer } from 'local-aws-sqs';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from './env.ts';

export interface LocalSqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** An SQS client for a local endpoint with dummy credentials. */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/**
 * Starts the in-process SQS-compatible server (`local-aws-sqs`, JSON protocol as the current SDK speaks it) on
 * 127.0.0.1. Port 0 picks a free one. Messages live in this process's memory only.
 */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  const server = await createSqsServer({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    // A restarted test run re-creates queues with the same names at once.
    emulateQueueCreationLifecycle: false,
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
