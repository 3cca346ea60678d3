/**
 * The one DynamoDB table's physical shape, read by the CDK stack and by the local runtime so both create the same
 * table. Attribute names are generic (ElectroDB style); what each index means per entity is listed in
 * docs/data-model.md and built only by `#shared/keys.ts`.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Items carrying this epoch-seconds attribute are deleted by DynamoDB TTL: idempotency records, appointment slots
   * and stored reports soon; journal entries, invoices and audit events after their retention
   * (docs/decisions.md#retention).
   */
  ttlAttribute: 'expiresAt',
  /**
   * Generic global secondary indexes, all projecting every attribute. They are declared up front because
   * CloudFormation can add only one GSI per deployment.
   */
  indexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4'] as const,
} as const;

export type IndexName = (typeof TABLE.indexes)[number];

/** Partition and sort key attribute names of an index: `gsi1` → `gsi1pk` / `gsi1sk`. */
export function indexKeys(index: IndexName): { pk: string; sk: string } {
  return { pk: `${index}pk`, sk: `${index}sk` };
}
