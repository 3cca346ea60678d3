import { httpRoute } from '#shared/http/route.ts';
import { casePathSchema, caseView } from '#shared/http/desk.ts';
import { deskActionSchema, slaPolicyFromEnv } from '#shared/domain/desk.ts';
import type { CaseRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/**
 * `POST /v1/cases/{caseId}/actions` (support): assign, comment, escalate, resolve or reopen by the transition table
 * → 200 with the case; a transition the table does not allow → 409; an unknown action → 400.
 */
export const handler = httpRoute(
  { route: 'POST /v1/cases/{caseId}/actions', params: casePathSchema, body: deskActionSchema },
  async ({ params, body, caller }) => {
    const { record, history } = await desk.act('case', params.caseId, body, caller.sub);
    return { status: 200, body: caseView(record as CaseRecord, history) };
  },
);
