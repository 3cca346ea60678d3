import { mkdirSync } from 'node:fs';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import S3rver, { type S3rverRecord } from 's3rver';
import account from 's3rver/lib/models/account.js';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from './env.ts';

/**
 * The local S3 stand-in: s3rver (in-process, data on disk under the stack's data folder). It answers the SDK and
 * presigned PUT/GET URLs from `@aws-sdk/s3-request-presigner`, and reports every stored object, which
 * `forwardObjectCreated` turns into the S3 event notification AWS would put on the documents queue. It does NOT
 * verify signatures (SigV4 is unimplemented in it; it checks only the key id and expiry): a PUT with another type
 * or size than the URL signs is stored, and only the processor's check refuses it (docs/local-runtime.md).
 */
export interface LocalS3 {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

// s3rver knows one dummy key pair; the local stack's dummy credentials are added to its account.
account.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);

/**
 * Starts s3rver on 127.0.0.1 (port 0: a free one) with `buckets` created, calling `onObjectCreated` for each object
 * stored.
 */
export async function startLocalS3(options: {
  directory: string;
  buckets: string[];
  port?: number;
  onObjectCreated?: (record: S3rverRecord) => void;
}): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  if (options.onObjectCreated) {
    const notify = options.onObjectCreated;
    server.on('event', (event) => {
      for (const record of event.Records ?? []) if (record.eventName.startsWith('ObjectCreated:')) notify(record);
    });
  }
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: () => server.close(),
  };
}

/** An object key as S3 writes it into event notifications: URL-encoded, `/` kept, a space as `+`. */
function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The S3 event notification message AWS sends to a queue for one stored object. */
export function s3EventMessage(record: S3rverRecord): Record<string, unknown> {
  const bucket = record.s3.bucket.name;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: record.eventTime,
        eventName: record.eventName,
        userIdentity: { principalId: `AWS:${LOCAL_ACCOUNT_ID}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {},
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'documents-object-created',
          bucket: { name: bucket, ownerIdentity: { principalId: LOCAL_ACCOUNT_ID }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: eventKey(record.s3.object.key),
            size: record.s3.object.size ?? 0,
            ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
            sequencer: record.s3.object.sequencer ?? Date.now().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}

/**
 * What S3's queue notification does: each object created in `bucket` becomes a message on the documents queue.
 * A failed send is logged (the object stays; the expiry job settles its document).
 */
export function forwardObjectCreated(
  sqs: SQSClient,
  queueUrl: () => string | undefined,
  log: (message: string) => void = () => undefined,
): (record: S3rverRecord) => void {
  return (record) => {
    const url = queueUrl();
    if (!url) return;
    sqs
      .send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(s3EventMessage(record)) }))
      .catch((error: unknown) => log(`S3 event not queued: ${error instanceof Error ? error.message : String(error)}`));
  };
}
