import { describe, expect, it } from 'vitest';
import { supportDailyFigures, type DayHistoryEntry } from '#shared/reports/support-daily.ts';
import type { DeskRecord } from '#shared/data/desk.ts';

function submitted(category: string, priority: 'urgent' | 'high' | 'normal' | 'low', orderSkus?: string[]): DeskRecord {
  return {
    kind: 'case',
    id: `cas_${Math.random()}`,
    status: 'OPEN',
    priority,
    category,
    subject: 's',
    description: 'd',
    createdAt: '2026-11-10T08:00:00.000Z',
    updatedAt: '2026-11-10T08:00:00.000Z',
    version: 2,
    slaBreached: false,
    customerId: 'cus_1',
    customer: { name: 'A', email: 'a@example.com' },
    ...(orderSkus ? { orderSkus } : {}),
  };
}

const resolve = (id: string, at: string, minutes: number): DayHistoryEntry => ({
  id,
  action: 'resolve',
  at,
  resolutionMinutes: minutes,
});

describe('support-daily figures', () => {
  it('answers zeros, every priority and category listed, and a null median on a quiet day', () => {
    expect(supportDailyFigures([], [])).toEqual({
      casesOpened: 0,
      casesResolved: 0,
      slaBreaches: 0,
      medianResolutionMinutes: null,
      byPriority: { urgent: 0, high: 0, normal: 0, low: 0 },
      byCategory: { complaint: 0, inquiry: 0, return: 0, billing: 0, other: 0 },
      topComplaintSkus: [],
    });
  });

  it(
    'takes the median of an even count as the mean of the middle two, ' + "each case's last resolution counting once",
    () => {
      const figures = supportDailyFigures(
        [],
        [
          resolve('a', '2026-11-10T09:00:00.000Z', 10),
          resolve('b', '2026-11-10T09:00:00.000Z', 30),
          resolve('a', '2026-11-10T12:00:00.000Z', 100),
          resolve('c', '2026-11-10T09:00:00.000Z', 5),
          { id: 'c', action: 'sla_breached', at: '2026-11-10T08:00:00.000Z' },
          { id: 'c', action: 'sla_breached', at: '2026-11-10T08:10:00.000Z' },
        ],
      );

      expect(figures).toMatchObject({ casesResolved: 3, medianResolutionMinutes: 30, slaBreaches: 2 });
      expect(supportDailyFigures([], [resolve('a', 'x', 10), resolve('b', 'x', 25)]).medianResolutionMinutes).toBe(
        17.5,
      );
    },
  );

  it('ranks complaint SKUs by complaints naming them, then SKU, ten at most; other categories do not count', () => {
    const skus = Array.from({ length: 12 }, (_, i) => `SKU-${String(i).padStart(2, '0')}`);
    const figures = supportDailyFigures(
      [
        submitted('complaint', 'high', ['SKU-Z', 'SKU-Z', 'SKU-A']),
        submitted('complaint', 'low', ['SKU-Z']),
        submitted('return', 'low', ['SKU-Z', 'SKU-R']),
        submitted('complaint', 'urgent', skus),
      ],
      [],
    );

    expect(figures.topComplaintSkus.slice(0, 2)).toEqual([
      { sku: 'SKU-Z', complaints: 2 },
      { sku: 'SKU-00', complaints: 1 },
    ]);
    expect(figures.topComplaintSkus).toHaveLength(10);
    expect(figures.topComplaintSkus.map((s) => s.sku)).not.toContain('SKU-R');
    expect(figures).toMatchObject({
      casesOpened: 4,
      byPriority: { urgent: 1, high: 1, normal: 0, low: 2 },
      byCategory: { complaint: 3, return: 1 },
    });
  });
});
