/**
 * (c) The SQS requests per order, handlers' own requests counted, the Lambda event source's modelled; (d) the cost per
 * million orders at list prices, with every assumption printed.
 */
import type { OrderMeasurement } from './order.ts';
import { round, table } from './shared.ts';

/** us-east-1 list prices, checked on the date given (docs/costs.md says where). */
export const PRICES = {
  checkedOn: '2026-11-23',
  dynamoWritePerMillionUnits: 0.625,
  dynamoReadPerMillionUnits: 0.125,
  sqsPerMillionRequests: 0.4,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillionRequests: 1.0,
} as const;

/** What the cost model assumes; printed with the result. */
export const ASSUMPTIONS = {
  /** Messages per processor invocation, i.e. per ReceiveMessage + DeleteMessageBatch of the event source. */
  eventSourceBatchSize: 10,
  lambdaMemoryGb: 0.5,
  /** Billed duration of the intake function per order (warm; DynamoDB transaction + SQS send). */
  intakeMs: 60,
  /** Billed processor duration per message (its share of a batch: reads, one transaction). */
  processingMsPerMessage: 80,
} as const;

export interface CostLine {
  service: string;
  perOrder: string;
  perMillionOrdersUsd: number;
}

/** Cost of one million orders like the measured one, service by service. */
export function costPerMillionOrders(
  m: OrderMeasurement,
  prices = PRICES,
  a = ASSUMPTIONS,
): { lines: CostLine[]; totalUsd: number; sqsRequestsPerOrder: number } {
  const handlerSqs = Object.values(m.handlerSqsRequests).reduce((s, n) => s + n, 0);
  // Each message sent is received and deleted by the event source in batches.
  const eventSourceSqs = (2 * m.messagesSent) / a.eventSourceBatchSize;
  const sqsRequestsPerOrder = handlerSqs + eventSourceSqs;
  const processorInvocations = m.messagesSent / a.eventSourceBatchSize;
  const invocations = 1 + processorInvocations;
  const gbSeconds = (a.lambdaMemoryGb * (a.intakeMs + a.processingMsPerMessage * m.messagesSent)) / 1000;
  const million = 1_000_000;
  const lines: CostLine[] = [
    {
      service: 'DynamoDB writes',
      perOrder: `${m.writeUnits} WRU`,
      perMillionOrdersUsd: m.writeUnits * prices.dynamoWritePerMillionUnits,
    },
    {
      service: 'DynamoDB reads',
      perOrder: `${m.readUnits} RRU`,
      perMillionOrdersUsd: m.readUnits * prices.dynamoReadPerMillionUnits,
    },
    {
      service: 'SQS',
      perOrder: `${round(sqsRequestsPerOrder)} requests`,
      perMillionOrdersUsd: sqsRequestsPerOrder * prices.sqsPerMillionRequests,
    },
    {
      service: 'Lambda requests',
      perOrder: `${round(invocations)} invocations`,
      perMillionOrdersUsd: invocations * prices.lambdaPerMillionRequests,
    },
    {
      service: 'Lambda compute',
      perOrder: `${round(gbSeconds, 4)} GB-s`,
      perMillionOrdersUsd: gbSeconds * million * prices.lambdaArmPerGbSecond,
    },
    { service: 'API Gateway HTTP API', perOrder: '1 request', perMillionOrdersUsd: prices.httpApiPerMillionRequests },
  ];
  return { lines, totalUsd: lines.reduce((s, l) => s + l.perMillionOrdersUsd, 0), sqsRequestsPerOrder };
}

export function printCosts(m: OrderMeasurement): void {
  const cost = costPerMillionOrders(m);
  console.log(`\n(c) SQS requests per order: ${round(cost.sqsRequestsPerOrder)}`);
  console.log(`    made by handlers: ${JSON.stringify(m.handlerSqsRequests)}; messages sent: ${m.messagesSent}`);
  const batchSize = ASSUMPTIONS.eventSourceBatchSize;
  console.log(
    `    event source: 1 ReceiveMessage + 1 DeleteMessageBatch per batch of ${batchSize} messages → ` +
      `${round((2 * m.messagesSent) / batchSize)} per order`,
  );
  console.log(
    "    not per order: the event source's empty long polls (about 0.65 M requests per queue per month while idle)",
  );

  console.log(`\n(d) Cost per million orders, us-east-1 list prices checked ${PRICES.checkedOn}\n`);
  console.log(
    table([
      ['service', 'per order', 'USD per 1M orders'],
      ...cost.lines.map((l) => [l.service, l.perOrder, l.perMillionOrdersUsd.toFixed(2)]),
      ['total', '', cost.totalUsd.toFixed(2)],
    ]),
  );
  console.log('\nprices:', JSON.stringify(PRICES));
  console.log('assumptions:', JSON.stringify(ASSUMPTIONS));
  console.log('not included: storage, PITR, CloudWatch logs and metrics, data transfer, free tiers, idle polling.');
}
