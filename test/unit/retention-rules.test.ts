import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, expiresAfter, retainedUntil, retentionFromEnv } from '#shared/domain/retention.ts';

describe('retention policy', () => {
  it('keeps the books and audit events 10 years by default', () => {
    expect(retentionFromEnv({})).toEqual({ booksYears: 10, auditYears: 10 });
    expect(DEFAULT_RETENTION).toEqual({ booksYears: 10, auditYears: 10 });
  });

  it('reads RETENTION_BOOKS_YEARS and RETENTION_AUDIT_YEARS, and refuses what is not 1–100 whole years', () => {
    expect(retentionFromEnv({ RETENTION_BOOKS_YEARS: '6', RETENTION_AUDIT_YEARS: ' ' })).toEqual({
      booksYears: 6,
      auditYears: 10,
    });
    for (const bad of ['0', '101', '7.5', 'ten']) {
      expect(() => retentionFromEnv({ RETENTION_AUDIT_YEARS: bad })).toThrow(/RETENTION_AUDIT_YEARS/);
    }
  });

  it('counts years from the end of the calendar year of the record', () => {
    expect(new Date(retainedUntil('2026-01-01T00:00:00.000Z', 10) * 1000).toISOString()).toBe(
      '2037-01-01T00:00:00.000Z',
    );
    expect(new Date(retainedUntil('2026-12-31T23:59:59.999Z', 10) * 1000).toISOString()).toBe(
      '2037-01-01T00:00:00.000Z',
    );
    expect(new Date(retainedUntil('2027-01-01T00:00:00.000Z', 1) * 1000).toISOString()).toBe(
      '2029-01-01T00:00:00.000Z',
    );
  });

  it('expires a transient record a number of seconds after an instant', () => {
    expect(expiresAfter('2026-03-05T10:00:00.500Z', 60)).toBe(Date.parse('2026-03-05T10:01:00Z') / 1000);
  });
});
