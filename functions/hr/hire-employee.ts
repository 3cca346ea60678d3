import { accepted, httpRoute, rememberAnswer, type HttpResult } from '#shared/http/route.ts';
import { hireSchema } from '#shared/domain/hr.ts';
import { makeHrService, type HiredEmployee } from '#shared/services/hr.ts';
import { queueTarget, sendAfterCommit } from '#shared/queue/send.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc, sqs } from '#shared/platform/clients.ts';

const config = loadConfig();
const hrQueue = queueTarget('hr');
const hr = makeHrService({ doc, tableName: config.TABLE_NAME });

const answer = (hired: HiredEmployee): HttpResult => accepted(`/v1/hr/employees/${hired.employeeId}`, { ...hired });

/**
 * `POST /v1/hr/employees` (hr): hires → 202 `ONBOARDING` with the onboarding checklist, written with the email's
 * uniqueness item and the remembered answer in one transaction, then `employee.hired` queued on the `hr` queue (its
 * processor opens the IT ticket for accounts and equipment; a lost send is healed by the submission sweeper); a
 * current employee's email → 409, a manager who is not a current employee → 400 naming `managerId`.
 */
export const handler = httpRoute(
  { route: 'POST /v1/hr/employees', body: hireSchema, idempotent: true },
  async ({ body, caller, correlationId, idempotency }) => {
    const remember = rememberAnswer(idempotency, answer);
    const hired = await hr.hire(body, { actor: caller.sub, correlationId, remember });
    await sendAfterCommit(
      sqs,
      hrQueue,
      { type: 'employee.hired', id: hired.employeeId, correlationId },
      {
        log: 'employee hired but onboarding not queued; the submission sweeper will queue it',
        fields: { employeeId: hired.employeeId },
      },
    );
    return answer(hired);
  },
);
