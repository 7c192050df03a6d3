/** Request schemas shared by the feature routes. */
import { z } from 'zod';

export const workspaceParams = z.object({ workspaceId: z.coerce.number().int().positive() });
export const idParams = workspaceParams.extend({ id: z.coerce.number().int().positive() });

/** Epoch ms or an ISO date, in query strings. */
export const timeParam = z.union([z.coerce.number().int(), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))]);
