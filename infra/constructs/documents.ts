import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where document objects live in the bucket (`documents/<documentId>`); grants and notifications cover only it. */
export const DOCUMENTS_PREFIX = 'documents/';

export interface DocumentsBucketProps {
  /** The queue S3 notifies of every object created under `documents/` (the manifest's `documents` queue). */
  readonly notify?: sqs.Queue;
}

/**
 * The bucket of documents attached to records (docs/contract.md#documents): no public access, S3-managed encryption,
 * TLS only, versioned, with server access logs to a bucket of their own. Lifecycle: a replaced or deleted object's
 * old version is gone a day later (deleting a document, or erasing a customer's, removes the bytes, not just the
 * current version), delete markers left alone are cleaned, and an incomplete multipart upload is aborted after a
 * day. A never-uploaded document has no object to clean; a rejected one's object is deleted by the processor, so
 * its bytes go with the non-current version rule. Every object created under `documents/` is reported to the
 * documents queue through the bucket's own notification configuration (no custom-resource Lambda), which the
 * queue's policy lets S3 send, for this account only.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps = {}) {
    super(scope, id);
    // Access logs are delivered under a bucket policy, not the legacy log-delivery ACL, so the log bucket can refuse
    // ACLs like every other bucket (the flag new CDK apps set by default).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the documents bucket; logging it into itself would log every log ' +
        'delivery. Its contents are written only by the S3 logging service.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(1) },
        { id: 'clean-delete-markers', expiredObjectDeleteMarker: true },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    if (props.notify) {
      const queue = props.notify;
      queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'S3DocumentsObjectCreated',
          principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
      const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
      cfn.notificationConfiguration = {
        queueConfigurations: [
          {
            event: 's3:ObjectCreated:*',
            queue: queue.queueArn,
            filter: { s3Key: { rules: [{ name: 'prefix', value: DOCUMENTS_PREFIX }] } },
          },
        ],
      };
      // S3 checks it may send when the configuration is set: the queue's policy must exist first.
      const policy = queue.node.tryFindChild('Policy');
      if (policy) cfn.node.addDependency(policy);
    }
  }

  /** The ARN of the document objects (`<bucket>/documents/*`), the only resource a function is granted. */
  objectsArn(): string {
    return this.bucket.arnForObjects(`${DOCUMENTS_PREFIX}*`);
  }
}
