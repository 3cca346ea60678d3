import { describe, expect, it } from 'vitest';
import { newId, ulid } from '#shared/ids.ts';

describe('ids', () => {
  it('carries a type prefix and a 26-character ULID', () => {
    expect(newId('order')).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newId('purchaseOrder')).toMatch(/^po_/);
  });

  it('sorts later ids after earlier ones', () => {
    const earlier = ulid(Date.UTC(2026, 0, 1));
    const later = ulid(Date.UTC(2026, 0, 1) + 1);

    expect(earlier < later).toBe(true);
  });

  it('sorts ids minted in one millisecond in the order they were minted', () => {
    const at = Date.UTC(2026, 0, 1, 12);
    const minted = Array.from({ length: 50 }, () => ulid(at));

    expect(new Set(minted.map((id) => id.slice(0, 10))).size).toBe(1);
    expect([...minted].sort()).toEqual(minted);
    expect(new Set(minted).size).toBe(50);
  });

  it('starts from fresh randomness in each new millisecond', () => {
    const at = Date.UTC(2026, 0, 1, 13);
    const seen = new Set(Array.from({ length: 20 }, (_, i) => ulid(at + i).slice(10, 14)));

    // Counting on from the previous millisecond would keep the leading random characters (almost always) the same.
    expect(seen.size).toBeGreaterThan(10);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('order')));

    expect(ids.size).toBe(1000);
  });
});
