import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_ROUTE_KEY, handlerId, type InfraRoute, type InfraUnmatchedRoute } from '#infra/manifest.ts';
import type { StaffDirectory } from '#infra/constructs/auth.ts';
import { BackOfficeFunction, FUNCTION_DEFAULTS, type BackOfficeFunctionProps } from '#infra/constructs/function.ts';

function isEmpty(p: InfraRoute['permissions']): boolean {
  return (
    (p.table ?? []).length === 0 &&
    (p.query ?? []).length === 0 &&
    (p.sendTo ?? []).length === 0 &&
    (p.bucket ?? []).length === 0 &&
    !p.queueAdmin &&
    !p.queueStats
  );
}

export interface BackOfficeApiProps extends Omit<
  BackOfficeFunctionProps,
  'kind' | 'handler' | 'permissions' | 'timeout' | 'description'
> {
  readonly routes: readonly InfraRoute[];
  /** Handler of the `$default` route (requests no route matches); without one API Gateway answers them itself. */
  readonly unmatchedRoute?: InfraUnmatchedRoute;
  readonly staff: StaffDirectory;
}

/** Stage-wide throttling: generous for a staff back office, low enough that a runaway script cannot run up a bill. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * One field per line of the access log, as JSON so CloudWatch Logs Insights can query it. `sub` ties a request to
 * the staff member; the correlation id the handlers log is the request id.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
} as const;

/**
 * The HTTP API: one route and one Lambda integration (payload format 2.0) per manifest route, the Cognito JWT
 * authorizer on every route that is not declared `public`, a `$default` route behind the same authorizer for what no
 * route matches (when the manifest names its handler), JSON access logs and throttling on the `$default` stage. The
 * authorizer only proves the caller is signed-in staff; each handler checks the route's roles.
 */
export class BackOfficeApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly functions = new Map<string, BackOfficeFunction>();
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: BackOfficeApiProps) {
    super(scope, id);
    const { routes, unmatchedRoute, staff, ...functionProps } = props;
    const routeFunction = (handler: string, permissions: InfraRoute['permissions'], description: string) =>
      new BackOfficeFunction(this, handlerId(handler), {
        ...functionProps,
        kind: 'route',
        handler,
        permissions,
        timeout: Duration.seconds(FUNCTION_DEFAULTS.routeTimeoutSeconds),
        description,
      });
    const integrationOf = (handler: string, fn: BackOfficeFunction) =>
      new HttpLambdaIntegration(`${handlerId(handler)}Integration`, fn.fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Back Office HTTP API',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', staff.userPool, {
      userPoolClients: [staff.client],
    });
    for (const route of routes) {
      const fn = routeFunction(route.handler, route.permissions, `${route.method} ${route.path} (${route.handler})`);
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(route.handler, fn),
        authorizer: route.roles === 'public' ? new apigw.HttpNoneAuthorizer() : authorizer,
      });
      this.functions.set(route.handler, fn);
      this.routes.set(`${route.method} ${route.path}`, httpRoute!);
      if (route.roles === 'public' && isEmpty(route.permissions)) {
        // A public route that can touch data is not excused: cdk-nag's finding then fails the synth until someone
        // decides otherwise in writing.
        Validations.of(httpRoute!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.method} ${route.path} is declared public in shared/manifest.ts: ` +
            'an unauthenticated liveness probe for uptime monitors and post-deploy smoke tests. ' +
            'Its function has no table or queue permissions, ' +
            'so a caller without a token can learn only that the API is up.',
        });
      }
    }

    if (unmatchedRoute) {
      const fn = routeFunction(
        unmatchedRoute.handler,
        unmatchedRoute.permissions,
        `${DEFAULT_ROUTE_KEY}: requests no route matches (${unmatchedRoute.handler})`,
      );
      // addRoutes only takes a method and a path; the catch-all route key needs an HttpRoute of its own.
      const httpRoute = new apigw.HttpRoute(this, 'DefaultRoute', {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.DEFAULT,
        integration: integrationOf(unmatchedRoute.handler, fn),
        // Behind the authorizer like every staff route: a caller without a valid token gets API Gateway's 401 for
        // free, so scanners probing random paths never invoke a function; signed-in staff get the 404 problem.
        authorizer,
      });
      this.functions.set(unmatchedRoute.handler, fn);
      this.routes.set(DEFAULT_ROUTE_KEY, httpRoute);
    }
  }
}
