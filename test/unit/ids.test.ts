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

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('order')));

    expect(ids.size).toBe(1000);
  });
});
