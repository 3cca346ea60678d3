import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { unmatchedRouteResponse } from '#shared/http/problem.ts';

/**
 * The HTTP API's `$default` route: every request no declared route matches, whatever its method or path. Without it
 * API Gateway answers such a request itself with `404 {"message":"Not Found"}`, which is not a problem details body
 * (docs/contract.md#conventions). The JWT authorizer runs before it (a caller without a valid token gets its 401); the
 * handler reads nothing but the request line and touches no table or queue, so it needs no middleware: no roles to
 * check and no body to parse.
 */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  unmatchedRouteResponse(event.requestContext.http.method, event.rawPath);
