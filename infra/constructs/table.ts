import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { QueryTarget } from '#shared/manifest.ts';
import { TABLE, indexKeys } from '#shared/table.ts';

/**
 * The one single-table-design DynamoDB table, shaped by `#shared/table.ts` so the local runtime creates the same
 * keys and indexes. Records are the company's books: on-demand, point-in-time recovery, deletion protection, and
 * retained if the stack is ever deleted.
 */
export class BackOfficeTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      const keys = indexKeys(index);
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: keys.pk, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sk, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /**
   * The ARN a `dynamodb:Query` of `target` needs: the table's own for `'table'`, `<table>/index/<name>` for an index,
   * one by one rather than `index/*`, so a function may query only what its manifest entry names. Query is the only
   * declared action that can target an index; every other action gets the table ARN alone.
   */
  queryResource(target: QueryTarget): string {
    return target === 'table' ? this.table.tableArn : `${this.table.tableArn}/index/${target}`;
  }
}
