import * as z from 'zod';

/**
 * An email address as every area takes it (customers, employees, the customer lookup): trimmed, at most 254
 * characters, lower-cased, so one address is one key however it was typed.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('Must be an email address'))
  .transform((email) => email.toLowerCase());
