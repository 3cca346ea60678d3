import { httpRoute } from '#shared/http/route.ts';
import { casePathSchema, caseView } from '#shared/http/desk.ts';
import { slaPolicyFromEnv } from '#shared/domain/desk.ts';
import type { CaseRecord } from '#shared/data/desk.ts';
import { makeDeskService } from '#shared/services/desk.ts';
import { loadConfig } from '#shared/platform/config.ts';
import { doc } from '#shared/platform/clients.ts';

const config = loadConfig();
const desk = makeDeskService({ doc, tableName: config.TABLE_NAME, policy: slaPolicyFromEnv() });

/** `GET /v1/cases/{caseId}`: the case with its history (submission, triage, every action), from one Query. */
export const handler = httpRoute({ route: 'GET /v1/cases/{caseId}', params: casePathSchema }, async ({ params }) => {
  const { record, history } = await desk.get('case', params.caseId);
  return { status: 200, body: caseView(record as CaseRecord, history) };
});
