import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * AWS clients, built once per process. Locally the SDK reaches DynamoDB Local and the in-process SQS server through
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SQS`, so no code here knows where it runs.
 */
// Marked pure so esbuild drops a client a function never uses (~26 KB for routes that send no messages).
export const dynamo = /* @__PURE__ */ new DynamoDBClient({});
export const doc = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
export const sqs = /* @__PURE__ */ new SQSClient({});
/**
 * S3 for document objects. Locally `AWS_ENDPOINT_URL_S3` points at s3rver, which serves buckets by path only. Checksums
 * only when an operation requires one: a presigned PUT must not carry the SDK's checksum of an empty body, or S3
 * would refuse the bytes the client uploads.
 */
export const s3 = /* @__PURE__ */ new S3Client({
  forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
