import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import { makeJournal } from '#shared/data/journal.ts';
import { makeInvoiceStore } from '#shared/data/invoices.ts';
import { makeReportStore } from '#shared/data/reports.ts';
import { transactWrite } from '#shared/data/transact.ts';
import { claimIdempotencyKey } from '#shared/http/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { testClients, testResources } from '../support/index.ts';

/**
 * docs/decisions.md#retention: every kind of record that may go carries the table's TTL attribute (`expiresAt`,
 * epoch seconds) as decided, written by the module that writes the record.
 */
const doc = testClients().doc;
const tableName = testResources().tableName;

const epoch = (iso: string) => Date.parse(iso) / 1000;
const stored = async (key: Record<string, string>) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

describe('retention: what the books and the law require stays 10 years after the end of its year', () => {
  it('an audit event of 2026-03-05 expires on 2037-01-01, and on 2034-01-01 with a 7-year policy', async () => {
    const audit = makeAuditLog({ doc, tableName });
    const shorter = makeAuditLog({ doc, tableName, retention: { booksYears: 10, auditYears: 7 } });
    const input = {
      actor: 'tester',
      action: 'item.updated',
      entityType: 'item',
      entityId: `RET-${newId('auditEvent')}`,
      changes: ['name'],
      at: '2026-03-05T08:00:00.000Z',
    };
    await transactWrite(doc, [audit.eventItem(input)]);
    await transactWrite(doc, [shorter.eventItem({ ...input, entityId: `${input.entityId}-7` })]);

    const [event] = await audit.byEntity.page({ entityId: input.entityId }, { limit: 5 }).then((p) => p.items);
    const [seven] = await audit.byEntity.page({ entityId: `${input.entityId}-7` }, { limit: 5 }).then((p) => p.items);

    expect((await stored(keys.auditEvent.key(event!)))?.expiresAt).toBe(epoch('2037-01-01T00:00:00Z'));
    expect((await stored(keys.auditEvent.key(seven!)))?.expiresAt).toBe(epoch('2034-01-01T00:00:00Z'));
  });

  it('a journal entry posted on 2026-12-31 expires on 2037-01-01; its balance shard never expires', async () => {
    const journal = makeJournal({ doc, tableName });
    const entry = {
      entryId: newId('journalEntry'),
      postedAt: '2026-12-31T23:59:59.000Z',
      memo: 'retention',
      source: { type: 'manual', id: 'ret-1' },
      lines: [
        { account: '1000' as const, debitCents: 100, creditCents: 0 },
        { account: '4000' as const, debitCents: 0, creditCents: 100 },
      ],
    };
    await transactWrite(doc, journal.entryItems(entry));

    expect((await stored(keys.journalEntry.key(entry)))?.expiresAt).toBe(epoch('2037-01-01T00:00:00Z'));
    for (let shard = 0; shard < 16; shard++) {
      const item = await stored(keys.ledgerBalanceShard.key({ shard }));
      if (item) expect(item.expiresAt).toBeUndefined();
    }
  });

  it('an invoice issued on 2027-01-01 expires on 2038-01-01, counted from its year of issue', async () => {
    const invoices = makeInvoiceStore({ doc, tableName });
    const invoice = {
      entity: 'invoice' as const,
      invoiceId: newId('invoice'),
      orderId: 'ord_ret',
      customerId: 'cus_ret',
      status: 'OPEN' as const,
      totalCents: 100,
      paidCents: 0,
      currency: 'USD',
      issuedAt: '2027-01-01T00:00:00.000Z',
      dueDate: '2027-01-31',
      createdAt: '2027-01-01T00:00:00.000Z',
      updatedAt: '2027-01-01T00:00:00.000Z',
    };
    await transactWrite(doc, [invoices.newInvoiceItem(invoice)]);

    expect((await stored(keys.invoice.key(invoice)))?.expiresAt).toBe(epoch('2038-01-01T00:00:00Z'));
  });
});

describe('retention: records nothing requires expire', () => {
  it('a stored report expires 400 days after its last generation, and a regeneration moves that on', async () => {
    const reports = makeReportStore({ doc, tableName });
    const report = { reportType: 'sales-daily', period: '2026-03-05', body: {} };
    await reports.putReport({ ...report, generatedAt: '2026-03-06T00:15:00.000Z' });
    const first = await stored(keys.report.key({ type: report.reportType, period: report.period }));
    await reports.putReport({ ...report, generatedAt: '2026-04-01T00:00:00.000Z' });
    const again = await stored(keys.report.key({ type: report.reportType, period: report.period }));

    expect(first?.expiresAt).toBe(epoch('2027-04-10T00:15:00Z'));
    expect(again?.expiresAt).toBe(epoch('2027-05-06T00:00:00Z'));
  });

  it('an idempotency record expires 24 hours after it was written', async () => {
    const before = Math.floor(Date.now() / 1000);
    const claim = claimIdempotencyKey(doc, tableName, {
      sub: 'ret',
      routeKey: 'POST /v1/orders',
      key: 'r',
      body: '{}',
    });
    await transactWrite(doc, [claim.record({ statusCode: 202, headers: {}, body: '{}' })]);
    const after = Math.floor(Date.now() / 1000);

    const expiresAt = (await stored(claim.recordKey as Record<string, string>))?.expiresAt as number;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 86_400);
    expect(expiresAt).toBeLessThanOrEqual(after + 86_400);
  });
});
