import * as z from 'zod';

/** `?limit=&cursor=` as every list route takes them (README, Conventions: 50 by default, at most 200). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export type PageQuery = z.infer<typeof pageQuerySchema>;
