import { expiresAfter } from '#shared/domain/retention.ts';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keys } from '#shared/keys.ts';
import { isConditionFailure } from '#shared/data/transact.ts';
import type { Report } from '#shared/reports/definition.ts';

const bodySchema = z.record(z.string(), z.unknown());

/**
 * A generated report as stored: one item per type and period, overwritten by each regeneration. The figures are
 * kept as JSON text beside the header fields (`reportType`, not `type`, which DynamoDB reserves): a DynamoDB map
 * does not keep its keys in order, and the report's order (totals first, ranked lists as ranked) is part of it.
 */
export const storedReportSchema = z.object({
  entity: z.literal('report'),
  reportType: z.string(),
  period: z.string(),
  generatedAt: z.string(),
  body: z.string().transform((text) => bodySchema.parse(JSON.parse(text))),
});
export type StoredReport = z.infer<typeof storedReportSchema>;

/**
 * A stored report as the report it holds, `{type, period, generatedAt, ...figures}`: what the JSON answer shows and the
 * CSV is written from (README, Routes: `GET /v1/reports/{type}/{period}`).
 */
export function reportOf(stored: StoredReport): Report {
  return { type: stored.reportType, period: stored.period, generatedAt: stored.generatedAt, ...stored.body };
}

/** How long a stored report is kept after its (last) generation: 400 days, a year's comparison and a margin. */
export const REPORT_RETENTION_SECONDS = 400 * 86_400;

/** Reports: one item per type and period (`REPORT#<type>#<period>`). */
export function makeReportStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  return {
    /** The stored report of a type and period, read consistently (a regeneration is visible at once). */
    async getReport(type: string, period: string): Promise<StoredReport | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.report.key({ type, period }), ConsistentRead: true }),
      );
      return Item ? storedReportSchema.parse(Item) : undefined;
    },

    /**
     * Stores a generated report over the previous one, unless a newer generation is already stored (two runs
     * finishing out of order never put the older figures back). Returns whether it was stored.
     */
    async putReport(report: Omit<StoredReport, 'entity'>): Promise<boolean> {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.report.key({ type: report.reportType, period: report.period }),
              entity: 'report',
              ...report,
              body: JSON.stringify(report.body),
              // Derived figures: regenerated on demand from the records they count (docs/decisions.md#retention).
              expiresAt: expiresAfter(report.generatedAt, REPORT_RETENTION_SECONDS),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR generatedAt < :generatedAt',
            ExpressionAttributeValues: { ':generatedAt': report.generatedAt },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

export type ReportStore = ReturnType<typeof makeReportStore>;
