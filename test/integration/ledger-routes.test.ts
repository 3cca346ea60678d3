import { loadConfig } from '#shared/platform/config.ts';
import { describe, expect, it } from 'vitest';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import { makeLedgerStore } from '#shared/data/ledger.ts';
import { makeInvoiceStore, type Invoice } from '#shared/data/invoices.ts';
import { transactWrite } from '#shared/data/transact.ts';
import { handler as listEntries } from '../../functions/accounting/list-ledger-entries.ts';
import { handler as postEntry } from '../../functions/accounting/post-ledger-entry.ts';
import { handler as getTrialBalance } from '../../functions/accounting/get-trial-balance.ts';
import { handler as listInvoices } from '../../functions/accounting/list-invoices.ts';
import { handler as closeLedger } from '../../functions/accounting/close-ledger.ts';
import { scheduledEvent, testClients, testResources } from '../support/index.ts';
import { auditEventsOf, call } from './orders-inventory-fixtures.ts';
import { postEntry as postAt } from './money-fixtures.ts';

const ACCOUNTING = ['accounting'];
const { doc } = testClients();
const tableName = testResources().tableName;

const post = (body: unknown, headers: Record<string, string> = {}) =>
  call(postEntry, { method: 'POST', path: '/v1/ledger/entries', roles: ACCOUNTING, body, headers });
const entries = (query: Record<string, string | number>, roles = ACCOUNTING) =>
  call(listEntries, { path: '/v1/ledger/entries', roles, query });
const trialBalance = (query: Record<string, string> = {}, roles = ACCOUNTING) =>
  call(getTrialBalance, { path: '/v1/ledger/trial-balance', roles, query });

const paths = (answer: { body: { errors?: { path: string }[] } }) =>
  (answer.body.errors ?? []).map((e) => e.path).sort();

describe('POST /v1/ledger/entries', () => {
  it('posts a balanced manual entry → 201 with it, audited, and in the balances', async () => {
    const before = (await trialBalance()).body;

    const answer = await post({
      memo: 'Owner invests cash',
      lines: [
        { account: '1000', debitCents: 50_000, creditCents: 0 },
        { account: '3000', debitCents: 0, creditCents: 30_000 },
        // The side a line does not use may be left out.
        { account: '3000', creditCents: 20_000 },
      ],
      ignored: true,
    });
    const after = (await trialBalance()).body;
    const balanceOf = (tb: { accounts: { code: string; balanceCents: number }[] }, code: string) =>
      tb.accounts.find((a) => a.code === code)!.balanceCents;

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      entryId: expect.stringMatching(/^je_/),
      postedAt: expect.any(String),
      memo: 'Owner invests cash',
      currency: loadConfig().CURRENCY,
      source: { type: 'manual', id: answer.body.entryId },
      lines: [
        { account: '1000', debitCents: 50_000, creditCents: 0 },
        { account: '3000', debitCents: 0, creditCents: 30_000 },
        { account: '3000', debitCents: 0, creditCents: 20_000 },
      ],
    });
    expect(balanceOf(after, '1000') - balanceOf(before, '1000')).toBe(50_000);
    expect(balanceOf(after, '3000') - balanceOf(before, '3000')).toBe(-50_000);
    expect((await auditEventsOf(answer.body.entryId)).map((e) => [e.action, e.actor])).toEqual([
      ['journalEntry.posted', 'test-user'],
    ]);
  });

  it(
    'refuses an unbalanced entry, an unknown account, a line with both or neither side, ' +
      'and fewer than two lines — listing every one',
    async () => {
      const unbalanced = await post({
        memo: 'x',
        lines: [
          { account: '1000', debitCents: 10, creditCents: 0 },
          { account: '4000', debitCents: 0, creditCents: 9 },
        ],
      });
      const badLines = await post({
        memo: '',
        lines: [
          { account: '9999', debitCents: 5, creditCents: 0 },
          { account: '1000', debitCents: 5, creditCents: 5 },
          { account: '1100', debitCents: 0, creditCents: 0 },
          { account: '1200', debitCents: -1, creditCents: 1.5 },
        ],
      });
      const oneLine = await post({ memo: 'x', lines: [{ account: '1000', debitCents: 0, creditCents: 0 }] });
      const empty = await post({ memo: 'x', lines: [] });

      expect(unbalanced.status).toBe(400);
      expect(unbalanced.body.errors).toEqual([
        { path: 'lines', message: 'The entry does not balance: debits 10, credits 9' },
      ]);
      expect(paths(badLines)).toEqual([
        'lines.0.account',
        'lines.1',
        'lines.2',
        'lines.3.creditCents',
        'lines.3.debitCents',
        'memo',
      ]);
      expect(paths(oneLine)).toEqual(['lines', 'lines.0']);
      expect(paths(empty)).toEqual(['lines']);
    },
  );

  it('honours Idempotency-Key: the same body replays the entry, another body is 422', async () => {
    const body = {
      memo: 'Accrual',
      lines: [
        { account: '5100', debitCents: 7, creditCents: 0 },
        { account: '2000', debitCents: 0, creditCents: 7 },
      ],
    };

    const first = await post(body, { 'idempotency-key': 'manual-1' });
    const again = await post(body, { 'idempotency-key': 'manual-1' });
    const other = await post({ ...body, memo: 'Other' }, { 'idempotency-key': 'manual-1' });

    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(other.status).toBe(422);
  });

  it('is for accounting only', async () => {
    const answer = await call(postEntry, {
      method: 'POST',
      path: '/v1/ledger/entries',
      roles: ['front-office'],
      body: {},
    });

    expect(answer.status).toBe(403);
  });
});

describe('GET /v1/ledger/entries', () => {
  it('pages through a range across day partitions, oldest first, with signed cursors', async () => {
    const posted = [
      await postAt('2025-03-01T10:00:00.000Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 1),
      await postAt('2025-03-01T11:00:00.000Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 2),
      await postAt('2025-03-03T09:00:00.000Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 3),
      await postAt('2025-03-05T23:59:59.999Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 4),
    ];
    await postAt('2025-03-06T00:00:00.000Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 5);
    await postAt('2025-02-28T23:59:59.999Z', ACCOUNT.cash, ACCOUNT.salesRevenue, 6);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await entries({ from: '2025-03-01', to: '2025-03-05', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: { entryId: string }) => e.entryId));
      cursor = page.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen).toEqual(posted);
    const first = await entries({ from: '2025-03-01', to: '2025-03-05', limit: 2 });
    expect(first.body.items[0]).toMatchObject({
      currency: loadConfig().CURRENCY,
      postedAt: '2025-03-01T10:00:00.000Z',
      memo: 'test entry',
      source: { type: 'test' },
      lines: [
        { account: '1000', debitCents: 1, creditCents: 0 },
        { account: '4000', debitCents: 0, creditCents: 1 },
      ],
    });
  });

  it('takes instants as well as days, and refuses a cursor altered or from another range', async () => {
    const narrow = await entries({ from: '2025-03-01T10:30:00Z', to: '2025-03-03T09:00:00Z' });
    const page = await entries({ from: '2025-03-01', to: '2025-03-05', limit: 1 });
    const cursor = page.body.nextCursor as string;

    expect(narrow.body.items.map((e: { postedAt: string }) => e.postedAt)).toEqual([
      '2025-03-01T11:00:00.000Z',
      '2025-03-03T09:00:00.000Z',
    ]);
    expect((await entries({ from: '2025-03-01', to: '2025-03-05', cursor: `${cursor}x` })).status).toBe(400);
    expect((await entries({ from: '2025-03-01', to: '2025-03-06', cursor })).status).toBe(400);
  });

  it('refuses a missing, malformed, reversed or over-long range with 400', async () => {
    expect(paths(await entries({}))).toEqual(['query.from', 'query.to']);
    expect(paths(await entries({ from: '2025-02-30', to: 'yesterday' }))).toEqual(['query.from', 'query.to']);
    expect(paths(await entries({ from: '2025-03-05', to: '2025-03-01' }))).toEqual(['query.to']);
    expect(paths(await entries({ from: '2024-01-01', to: '2024-12-31' }))).toEqual([]);
    expect(paths(await entries({ from: '2024-01-01', to: '2025-01-01' }))).toEqual(['query.to']);
    expect((await entries({ from: '2025-03-01', to: '2025-03-05' }, ['front-office'])).status).toBe(403);
  });

  it('answers a short page with a cursor rather than reading more than 31 quiet days at once', async () => {
    const first = await entries({ from: '2024-01-01', to: '2024-12-31' });
    const second = await entries({ from: '2024-01-01', to: '2024-12-31', cursor: first.body.nextCursor });

    expect(first.body.items).toEqual([]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.status).toBe(200);
  });
});

describe('GET /v1/ledger/trial-balance', () => {
  it('answers every account with equal totals now, and at the end of a past day', async () => {
    const now = await trialBalance();
    const past = await trialBalance({ asOf: '2025-03-03' });

    expect(now.status).toBe(200);
    expect(now.body.accounts).toHaveLength(9);
    expect(now.body.totalDebitCents).toBe(now.body.totalCreditCents);
    expect(now.body.currency).toBe('USD');
    expect(past.body.asOf).toBe('2025-03-03T23:59:59.999Z');
    // 2025-02-28 (6) and 2025-03-01 .. 03 (1 + 2 + 3): Dr 1000 / Cr 4000.
    expect(past.body.accounts.find((a: { code: string }) => a.code === '1000')).toEqual({
      code: '1000',
      name: 'Cash',
      debitCents: 12,
      creditCents: 0,
      balanceCents: 12,
    });
    expect(past.body.totalDebitCents).toBe(12);
  });

  it(
    'answers at an instant within a past day: ' +
      "the day before plus that day's entries up to and including the instant",
    async () => {
      const justBefore = await trialBalance({ asOf: '2025-03-01T10:59:59.999Z' });
      const atEntry = await trialBalance({ asOf: '2025-03-01T11:00:00.000Z' });
      const cash = (answer: { body: { accounts: { code: string; debitCents: number }[] } }) =>
        answer.body.accounts.find((a) => a.code === '1000')!.debitCents;

      // 2025-02-28 (6), then 2025-03-01 10:00 (1) and 11:00 (2) from the by-day journal index.
      expect(justBefore.status).toBe(200);
      expect(justBefore.body.asOf).toBe('2025-03-01T10:59:59.999Z');
      expect(cash(justBefore)).toBe(7);
      expect(cash(atEntry)).toBe(9);
      expect(atEntry.body.totalDebitCents).toBe(atEntry.body.totalCreditCents);
    },
  );

  it('reads the same past day from the closing the ledger-close job stored', async () => {
    const before = await trialBalance({ asOf: '2025-03-03' });

    const run = await closeLedger(scheduledEvent({ date: '2025-03-04' }));
    const closing = await makeLedgerStore({ doc, tableName }).getClosing('2025-03-03');
    const after = await trialBalance({ asOf: '2025-03-03' });

    expect(run.closed[0]).toBe('2025-02-28');
    expect(run.closedThrough).toBe('2025-03-04');
    expect(closing).toMatchObject({ day: '2025-03-03', balances: { '1000': { debitCents: 12, creditCents: 0 } } });
    expect(after.body).toEqual(before.body);
  });

  it('closes, on schedule, every day not closed yet up to the day before the event time', async () => {
    const run = await closeLedger(scheduledEvent({}, new Date('2025-03-07T00:05:00.000Z')));
    const again = await closeLedger(scheduledEvent({}, new Date('2025-03-07T00:10:00.000Z')));

    expect(run).toEqual({ closed: ['2025-03-05', '2025-03-06'], closedThrough: '2025-03-06' });
    expect(again).toEqual({ closed: [], closedThrough: '2025-03-06' });
    await expect(
      closeLedger(scheduledEvent({ date: '2025-03-07' }, new Date('2025-03-07T00:10:00.000Z'))),
    ).rejects.toThrow(/before today/);
  });

  it('refuses an asOf that is neither a day nor a time', async () => {
    expect(paths(await trialBalance({ asOf: '23/11/2026' }))).toEqual(['query.asOf']);
    expect((await trialBalance({}, ['front-office'])).status).toBe(403);
  });
});

describe('GET /v1/invoices', () => {
  it('lists invoices in a status, earliest due first, page by page; OPEN by default', async () => {
    const invoices = makeInvoiceStore({ doc, tableName });
    const invoice = (n: number, status: Invoice['status']): Invoice => ({
      entity: 'invoice',
      invoiceId: `inv_list_${n}`,
      orderId: `ord_${n}`,
      customerId: 'cus_1',
      status,
      totalCents: 100 * n,
      paidCents: 0,
      currency: 'USD',
      issuedAt: '2025-01-01T00:00:00.000Z',
      dueDate: `2025-02-0${n}`,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
    await transactWrite(
      doc,
      [3, 1, 2].map((n) => invoices.newInvoiceItem(invoice(n, 'OPEN'))),
    );
    await transactWrite(doc, [invoices.newInvoiceItem(invoice(4, 'PAID'))]);

    const first = await call(listInvoices, { path: '/v1/invoices', roles: ACCOUNTING, query: { limit: 2 } });
    const second = await call(listInvoices, {
      path: '/v1/invoices',
      roles: ACCOUNTING,
      query: { limit: 2, cursor: first.body.nextCursor },
    });
    const paid = await call(listInvoices, { path: '/v1/invoices', roles: ACCOUNTING, query: { status: 'PAID' } });

    expect(first.body.items.map((i: { invoiceId: string }) => i.invoiceId)).toEqual(['inv_list_1', 'inv_list_2']);
    expect(first.body.items[0]).toEqual({
      invoiceId: 'inv_list_1',
      orderId: 'ord_1',
      status: 'OPEN',
      totalCents: 100,
      paidCents: 0,
      currency: 'USD',
      issuedAt: '2025-01-01T00:00:00.000Z',
      dueDate: '2025-02-01',
    });
    expect(second.body.items.map((i: { invoiceId: string }) => i.invoiceId)).toEqual(['inv_list_3']);
    expect(paid.body.items.map((i: { invoiceId: string }) => i.invoiceId)).toEqual(['inv_list_4']);
    expect(
      (await call(listInvoices, { path: '/v1/invoices', roles: ACCOUNTING, query: { status: 'LOST' } })).status,
    ).toBe(400);
    expect((await call(listInvoices, { path: '/v1/invoices', roles: ['front-office'] })).status).toBe(403);
  });

  it(
    'lists everything that still owes (status=OPEN,PARTIALLY_PAID) merged by due date, page by page, ' +
      'none repeated or missed',
    async () => {
      const invoices = makeInvoiceStore({ doc, tableName });
      const invoice = (id: string, status: Invoice['status'], dueDate: string): Invoice => ({
        entity: 'invoice',
        invoiceId: id,
        orderId: `ord_${id}`,
        customerId: 'cus_1',
        status,
        totalCents: 1000,
        paidCents: status === 'PARTIALLY_PAID' ? 400 : status === 'PAID' ? 1000 : 0,
        currency: 'USD',
        issuedAt: '2025-02-01T00:00:00.000Z',
        dueDate,
        createdAt: '2025-02-01T00:00:00.000Z',
        updatedAt: '2025-02-01T00:00:00.000Z',
      });
      await transactWrite(
        doc,
        [
          invoice('inv_mrg_o1', 'OPEN', '2025-03-01'),
          invoice('inv_mrg_o3', 'OPEN', '2025-03-03'),
          invoice('inv_mrg_o5', 'OPEN', '2025-03-05'),
          invoice('inv_mrg_o7', 'OPEN', '2025-03-07'),
          invoice('inv_mrg_p2', 'PARTIALLY_PAID', '2025-03-02'),
          invoice('inv_mrg_p4', 'PARTIALLY_PAID', '2025-03-04'),
          invoice('inv_mrg_p6', 'PARTIALLY_PAID', '2025-03-06'),
          invoice('inv_mrg_x', 'PAID', '2025-03-01'),
          invoice('inv_mrg_v', 'VOID', '2025-03-02'),
          // Same due date, ids differing in punctuation: DynamoDB orders keys by bytes ('-' before '_'), not by locale.
          invoice('inv_mrg_q_a', 'OPEN', '2025-03-08'),
          invoice('inv_mrg_q-b', 'PARTIALLY_PAID', '2025-03-08'),
        ].map((i) => invoices.newInvoiceItem(i)),
      );
      // What the two status partitions hold, read another way: every invoice that owes, earliest due first.
      const owing: Invoice[] = [];
      for (const status of ['OPEN', 'PARTIALLY_PAID'] as const)
        for await (const i of invoices.byStatus.all({ status })) owing.push(i);
      const expected = owing
        .sort((a, b) => (`${a.dueDate}#${a.invoiceId}` < `${b.dueDate}#${b.invoiceId}` ? -1 : 1))
        .map((i) => i.invoiceId);

      for (const limit of [1, 2, 3, 50]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await call(listInvoices, {
            path: '/v1/invoices',
            roles: ACCOUNTING,
            query: { status: 'OPEN,PARTIALLY_PAID', limit, ...(cursor ? { cursor } : {}) },
          });
          expect(page.status).toBe(200);
          expect(page.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.body.items.map((i: { invoiceId: string }) => i.invoiceId));
          cursor = page.body.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 50);
        expect(seen, `limit ${limit}`).toEqual(expected);
      }
      expect(expected.filter((id) => id.startsWith('inv_mrg_'))).toEqual([
        'inv_mrg_o1',
        'inv_mrg_p2',
        'inv_mrg_o3',
        'inv_mrg_p4',
        'inv_mrg_o5',
        'inv_mrg_p6',
        'inv_mrg_o7',
        'inv_mrg_q-b',
        'inv_mrg_q_a',
      ]);

      // A status named twice counts once; a cursor of one list never opens another, and a tampered one is a 400.
      const twice = await call(listInvoices, {
        path: '/v1/invoices',
        roles: ACCOUNTING,
        query: { status: 'PARTIALLY_PAID,PARTIALLY_PAID' },
      });
      expect(twice.body.items.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([
        'inv_mrg_p2',
        'inv_mrg_p4',
        'inv_mrg_p6',
        'inv_mrg_q-b',
      ]);
      const openOnly = await call(listInvoices, { path: '/v1/invoices', roles: ACCOUNTING, query: { limit: 1 } });
      const merged = await call(listInvoices, {
        path: '/v1/invoices',
        roles: ACCOUNTING,
        query: { status: 'OPEN,PARTIALLY_PAID', limit: 1 },
      });
      const foreign = await call(listInvoices, {
        path: '/v1/invoices',
        roles: ACCOUNTING,
        query: { status: 'OPEN,PARTIALLY_PAID', cursor: openOnly.body.nextCursor },
      });
      const tampered = await call(listInvoices, {
        path: '/v1/invoices',
        roles: ACCOUNTING,
        query: { status: 'OPEN,PARTIALLY_PAID', cursor: `x${merged.body.nextCursor}` },
      });
      expect([foreign.status, tampered.status]).toEqual([400, 400]);
      const unknown = await call(listInvoices, {
        path: '/v1/invoices',
        roles: ACCOUNTING,
        query: { status: 'OPEN,LOST' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.status.1']);
    },
  );
});
