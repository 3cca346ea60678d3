/**
 * Every key of the single table, built in one place from pure functions so no key is ever concatenated inline.
 * Entity prefixes are upper case, `#`-separated. docs/data-model.md lists the access patterns these serve.
 */
export const keys = {
  /** Idempotency record of one (caller, route, Idempotency-Key); `hash` is a digest of the three. */
  idempotency: (hash: string) => ({ pk: `IDEMPOTENCY#${hash}`, sk: 'IDEMPOTENCY' }),
};
