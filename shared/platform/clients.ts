import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

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
