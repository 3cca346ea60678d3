import { describe, expect, it } from 'vitest';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, LEDGER_BALANCE_SHARDS } from '#shared/keys.ts';
import { ACCOUNT } from '#shared/domain/ledger.ts';
import { makeLedgerService, trialBalance } from '#shared/services/ledger.ts';
import { makeLedgerStore } from '#shared/data/ledger.ts';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler as getTrialBalance } from '../../functions/accounting/get-trial-balance.ts';
import { apiEvent, lambdaContext, testClients, testResources } from '../support/index.ts';
import { meteredDocumentClient, meteredHandlerCalls, postEntry, shardItems, type Usage } from './money-fixtures.ts';

/**
 * The ledger's stored balances on their own: the balance shards every posting updates, the daily closings the
 * `ledger-close` job takes, and the trial balance read from them at any instant. This file's table holds only the
 * entries posted here, on fixed days of January 2026, with an injected clock.
 */

const { doc } = testClients();
const tableName = testResources().tableName;
const clock = { now: new Date('2026-01-12T00:05:00.000Z') };
const ledger = makeLedgerService({ doc, tableName, now: () => clock.now });
const store = makeLedgerStore({ doc, tableName });
const endOf = (day: string) => new Date(`${day}T23:59:59.999Z`);

/** `{code: balanceCents}` of the accounts with a balance in a trial balance. */
function nonZero(tb: Awaited<ReturnType<typeof ledger.trialBalance>>): Record<string, number> {
  return Object.fromEntries(
    tb.accounts.filter((a) => a.debitCents !== 0 || a.creditCents !== 0).map((a) => [a.code, a.balanceCents]),
  );
}

describe('ledger balances and closings', () => {
  it('answers an all-zero, balanced trial balance of every account before anything is posted', async () => {
    const tb = await ledger.trialBalance(clock.now);

    expect(tb.accounts.map((a) => a.code)).toEqual([
      '1000',
      '1100',
      '1200',
      '2000',
      '3000',
      '4000',
      '5000',
      '5100',
      '6000',
    ]);
    expect(tb.accounts[0]).toEqual({ code: '1000', name: 'Cash', debitCents: 0, creditCents: 0, balanceCents: 0 });
    expect(tb).toMatchObject({ asOf: clock.now.toISOString(), totalDebitCents: 0, totalCreditCents: 0 });
  });

  it('closes every day from the first posting to yesterday, from the shards, and prunes the closed days', async () => {
    await postEntry('2026-01-10T09:00:00.000Z', ACCOUNT.inventory, ACCOUNT.openingBalanceEquity, 10_000);
    await postEntry('2026-01-11T10:00:00.000Z', ACCOUNT.accountsReceivable, ACCOUNT.salesRevenue, 2_500);
    await postEntry('2026-01-11T23:59:59.999Z', ACCOUNT.cash, ACCOUNT.accountsReceivable, 1_000);
    // Already "today" for the job running at 00:05 on the 12th: not part of any closing it takes.
    await postEntry('2026-01-12T00:01:00.000Z', ACCOUNT.cash, ACCOUNT.accountsReceivable, 500);

    const outcome = await ledger.closeLedger();

    expect(outcome).toEqual({ closed: ['2026-01-10', '2026-01-11'], closedThrough: '2026-01-11', capped: false });
    expect(nonZero(await ledger.trialBalance(endOf('2026-01-10')))).toEqual({ '1200': 10_000, '3000': -10_000 });
    expect(nonZero(await ledger.trialBalance(endOf('2026-01-11')))).toEqual({
      '1000': 1_000,
      '1100': 1_500,
      '1200': 10_000,
      '3000': -10_000,
      '4000': -2_500,
    });
    const attributes = (await shardItems()).flatMap((item) => Object.keys(item));
    expect(attributes.filter((a) => a.includes('@2026-01-10') || a.includes('@2026-01-11'))).toEqual([]);
    expect(attributes.filter((a) => a.includes('@2026-01-12')).sort()).toEqual([
      'c1100@2026-01-12',
      'd1000@2026-01-12',
    ]);
  });

  it('takes each closing once: a second run changes nothing', async () => {
    const before = await store.getClosing('2026-01-11');

    const outcome = await ledger.closeLedger();

    expect(outcome).toEqual({ closed: [], closedThrough: '2026-01-11', capped: false });
    expect(await store.getClosing('2026-01-11')).toEqual(before);
  });

  it(
    'reads a past day from its closing (one GetItem), today from the shards, ' + 'a past instant as closing + that day',
    async () => {
      clock.now = new Date('2026-01-12T18:00:00.000Z');
      await postEntry('2026-01-12T12:00:00.000Z', ACCOUNT.accountsReceivable, ACCOUNT.salesRevenue, 700);
      const metered = meteredDocumentClient();
      const meteredLedger = makeLedgerService({ doc: metered.doc, tableName, now: () => clock.now });

      const pastDay = await meteredLedger.trialBalance(endOf('2026-01-11'));
      const pastDayRequests = [...metered.usage.requests];
      metered.reset();
      const nowTb = await meteredLedger.trialBalance(clock.now);
      const nowRequests = [...metered.usage.requests];
      const morning = await meteredLedger.trialBalance(new Date('2026-01-12T06:00:00.000Z'));

      expect(pastDayRequests).toEqual(['GetItemCommand']);
      expect(nowRequests).toEqual(['QueryCommand']);
      expect(nonZero(pastDay)['1100']).toBe(1_500);
      expect(nonZero(nowTb)).toMatchObject({ '1000': 1_500, '1100': 1_700, '4000': -3_200 });
      expect(nonZero(morning)).toMatchObject({ '1000': 1_500, '1100': 1_000, '4000': -2_500 });
      expect(nowTb.totalDebitCents).toBe(nowTb.totalCreditCents);
    },
  );

  it('answers a day after the last closing, before the job ran, exactly from the shards', async () => {
    clock.now = new Date('2026-01-14T08:00:00.000Z');
    await postEntry('2026-01-13T08:00:00.000Z', ACCOUNT.cash, ACCOUNT.accountsReceivable, 200);
    await postEntry('2026-01-14T07:00:00.000Z', ACCOUNT.cash, ACCOUNT.accountsReceivable, 300);

    const thirteenth = await ledger.trialBalance(endOf('2026-01-13'));

    expect(await store.getClosing('2026-01-13')).toBeUndefined();
    expect(nonZero(thirteenth)).toMatchObject({ '1000': 1_700, '1100': 1_500 });
  });

  it('catches up every day missed, and reads days before the first posting as zero', async () => {
    clock.now = new Date('2026-01-15T00:05:00.000Z');

    const outcome = await ledger.closeLedger();

    expect(outcome.closed).toEqual(['2026-01-12', '2026-01-13', '2026-01-14']);
    expect(nonZero(await ledger.trialBalance(endOf('2026-01-12')))).toMatchObject({ '1000': 1_500, '1100': 1_700 });
    expect(nonZero(await ledger.trialBalance(endOf('2026-01-14')))).toMatchObject({ '1000': 2_000, '1100': 1_200 });
    expect(nonZero(await ledger.trialBalance(endOf('2025-12-31')))).toEqual({});
  });

  it('rolls forward through the journal when a closing in the middle is missing', async () => {
    const expected = await ledger.trialBalance(endOf('2026-01-13'));
    await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.ledgerClosing.key({ day: '2026-01-13' }) }));

    const rolled = await ledger.trialBalance(endOf('2026-01-13'));

    expect(rolled).toEqual(expected);
  });

  it('keeps closings exact while entries are posted during the closing run', async () => {
    clock.now = new Date('2026-01-16T00:05:00.000Z');
    await postEntry('2026-01-15T12:00:00.000Z', ACCOUNT.cash, ACCOUNT.accountsReceivable, 100);
    const expected = nonZero(await ledger.trialBalance(endOf('2026-01-15')));

    const [outcome] = await Promise.all([
      ledger.closeLedger(),
      ...Array.from({ length: 30 }, (_, i) =>
        postEntry(`2026-01-16T00:0${i % 5}:00.000Z`, ACCOUNT.cash, ACCOUNT.salesRevenue, 1 + i),
      ),
    ]);

    expect(outcome.closed).toEqual(['2026-01-15']);
    expect(nonZero(await ledger.trialBalance(endOf('2026-01-15')))).toEqual(expected);
  });

  it('prunes hundreds of leftover day movements from a shard in batches', async () => {
    const days = Array.from({ length: 150 }, (_, i) =>
      new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    const names = Object.fromEntries(
      days.flatMap((day, i) => [
        [`#d${i}`, `d1000@${day}`],
        [`#c${i}`, `c1000@${day}`],
      ]),
    );
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.ledgerBalanceShard.key({ shard: 0 }),
        UpdateExpression: `SET #entity = :entity ADD ${Object.keys(names)
          .map((alias) => `${alias} :zero`)
          .join(', ')}`,
        ExpressionAttributeNames: { ...names, '#entity': 'entity' },
        ExpressionAttributeValues: { ':zero': 0, ':entity': 'ledgerBalanceShard' },
      }),
    );

    await ledger.closeLedger();

    const shard = (await shardItems()).find((item) => item.sk === 'SHARD#00')!;
    expect(Object.keys(shard).filter((a) => a.includes('@2025-'))).toEqual([]);
  });

  it('spreads postings over the balance shards and the exported trialBalance agrees with the service', async () => {
    const shards = await shardItems();
    const viaExport = await trialBalance({ doc, tableName, now: () => clock.now }, clock.now);

    expect(shards.length).toBeGreaterThan(4);
    expect(shards.length).toBeLessThanOrEqual(LEDGER_BALANCE_SHARDS);
    expect(shards.every((item) => item.entity === 'ledgerBalanceShard')).toBe(true);
    expect(viaExport).toEqual(await ledger.trialBalance(clock.now));
  });
});

/**
 * Declared last: it posts on days relative to the real today (the route's clock) and closes every day through them,
 * after the January 2026 days above.
 */
describe('the cost of a trial balance through GET /v1/ledger/trial-balance', () => {
  const MS_PER_DAY = 86_400_000;
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  const day = (offset: number) => new Date(today + offset * MS_PER_DAY).toISOString().slice(0, 10);
  const POSTINGS = [
    [ACCOUNT.accountsReceivable, ACCOUNT.salesRevenue, 1_000],
    [ACCOUNT.costOfGoodsSold, ACCOUNT.inventory, 400],
    [ACCOUNT.cash, ACCOUNT.accountsReceivable, 600],
    [ACCOUNT.inventory, ACCOUNT.accountsPayable, 350],
  ] as const;

  /** 12 entries on each of `days` days from `first` (an offset from today), then the closing job the morning after. */
  async function history(first: number, days: number): Promise<void> {
    for (let d = first; d < first + days; d++) {
      for (let i = 0; i < 12; i++) {
        const [debit, credit, amount] = POSTINGS[i % POSTINGS.length]!;
        await postEntry(`${day(d)}T${String(8 + i).padStart(2, '0')}:00:00.000Z`, debit, credit, amount);
      }
    }
    clock.now = new Date(`${day(first + days)}T00:05:00.000Z`);
    while ((await ledger.closeLedger()).capped);
  }

  async function measured(
    asOf?: string,
  ): Promise<{ body: { totalDebitCents: number; totalCreditCents: number; asOf: string }; usage: Usage }> {
    const { result, usage } = await meteredHandlerCalls(
      async () =>
        (await getTrialBalance(
          apiEvent({ path: '/v1/ledger/trial-balance', roles: ['accounting'], ...(asOf ? { query: { asOf } } : {}) }),
          lambdaContext(),
        )) as APIGatewayProxyStructuredResultV2,
    );
    expect(result.statusCode).toBe(200);
    return { body: JSON.parse(result.body as string), usage };
  }

  it('consumes the same capacity now and at a past day with 3 days of history and with 10 times as many', async () => {
    await history(-45, 3);
    const pastDay = day(-43);
    const nowOnce = await measured();
    const pastOnce = await measured(pastDay);

    await history(-42, 27);
    const laterDay = day(-16);
    const nowTenfold = await measured();
    const pastTenfold = await measured(laterDay);
    const firstDayAgain = await measured(pastDay);

    console.info(
      'trial balance capacity',
      JSON.stringify({
        now: { once: nowOnce.usage, tenfold: nowTenfold.usage },
        pastDay: { once: pastOnce.usage, tenfold: pastTenfold.usage },
      }),
    );
    // 3 days of history, then 27 more (30 in all): each day 3 rounds of the 4 postings.
    expect(nowTenfold.body.totalDebitCents - nowOnce.body.totalDebitCents).toBe(27 * 3 * (1_000 + 400 + 600 + 350));
    expect(pastTenfold.body.totalDebitCents - pastOnce.body.totalDebitCents).toBe(27 * 3 * (1_000 + 400 + 600 + 350));
    expect(firstDayAgain.body).toEqual(pastOnce.body);
    expect(nowOnce.usage.requests).toEqual(['QueryCommand']);
    expect(pastOnce.usage.requests).toEqual(['GetItemCommand']);
    expect(nowOnce.usage.readUnits).toBeGreaterThan(0);
    expect(pastOnce.usage.readUnits).toBeGreaterThan(0);
    expect(nowTenfold.usage).toEqual(nowOnce.usage);
    expect(pastTenfold.usage).toEqual(pastOnce.usage);
    expect(firstDayAgain.usage).toEqual(pastOnce.usage);
  });
});
