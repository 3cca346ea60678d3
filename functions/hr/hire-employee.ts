import { accepted, httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { hireSchema } from '#shared/domain/hr.ts';
import { makeHrService, type HiredEmployee } from '#shared/services/hr.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

const answer = (hired: HiredEmployee): HttpResult => accepted(`/v1/hr/employees/${hired.employeeId}`, { ...hired });

/**
 * `POST /v1/hr/employees` (hr): hires → 202 `ONBOARDING` with the onboarding checklist, written with the email's
 * uniqueness item and the remembered answer in one transaction; a current employee's email → 409, an unknown manager →
 * 400 naming `managerId`.
 */
export const handler = httpRoute(
  { route: 'POST /v1/hr/employees', body: hireSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const remember = rememberAnswer(idempotency, answer);
    return answer(await hr.hire(body, { actor: caller.sub, correlationId, remember }));
  },
);
