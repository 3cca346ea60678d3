/**
 * The single declaration of every HTTP route, queue (with its processor) and schedule. The CDK stack builds one
 * Lambda function per handler from it and the local runtime wires the same handler modules from it, so the deployed
 * system and the laptop cannot drift. Adding a route is one entry here plus its handler file.
 *
 * `handler` is the module path from the project root without extension; the module exports `handler`.
 */

import type { IndexName } from '#shared/table.ts';

export const ROLES = [
  'front-office',
  'employee',
  'support',
  'it',
  'inventory',
  'accounting',
  'hr',
  'ops',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * IAM item actions on the table a function may use (granted on the table ARN only). Transactions need the actions
 * they contain. `Query` is not one of them: it is declared per target in `Permissions.query`.
 */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:BatchWriteItem';

/**
 * S3 object actions on the documents bucket (granted on its objects only, `<bucket>/*`). Presigning a URL needs the
 * action the URL performs (`s3:PutObject` to sign an upload, `s3:GetObject` a download); `HeadObject` needs
 * `s3:GetObject`.
 */
export type BucketAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';

/**
 * What a function's `dynamodb:Query` may read: `'table'` (the table's own key, `pk`/`sk`) or one of the indexes of
 * `#shared/table.ts` by name. Each target is granted on its own ARN (`<table>` or `<table>/index/<name>`).
 */
export type QueryTarget = 'table' | IndexName;

/*
 * Each entry below lists exactly the table actions its handler calls (a transaction's Put and Update items count as
 * PutItem and UpdateItem), no bundles, and under `query` exactly the table and indexes its handler queries, read
 * from its data-access code paths (the index of each store method is in docs/data-model.md). The integration and e2e
 * tests hold the lists to the handler (test/support/access-recorder.ts): a call not listed, or a query of a target
 * not listed, fails its test as IAM would refuse it, and a listed action or query target no handler invocation used
 * in the whole suite fails `npm test`.
 */
const GET: TableAction = 'dynamodb:GetItem';
const BATCH_GET: TableAction = 'dynamodb:BatchGetItem';
const PUT: TableAction = 'dynamodb:PutItem';
const UPDATE: TableAction = 'dynamodb:UpdateItem';
const DELETE: TableAction = 'dynamodb:DeleteItem';
const CONDITION_CHECK: TableAction = 'dynamodb:ConditionCheckItem';

/** Every staff role: IT tickets may be filed by anyone who works here (docs/contract.md#it-support). */
const STAFF: Role[] = ['employee', 'front-office', 'support', 'it', 'inventory', 'accounting', 'hr', 'ops'];

/**
 * What a function may do besides running. `Q` is what `sendTo` may name: the declared queues (`QueueName`, derived
 * from `queues` below) for routes and schedules; a queue entry itself takes any string, so its own type does not
 * depend on the list it is part of (`checkManifest` in infra/manifest.ts refuses an undeclared name there).
 */
export interface Permissions<Q extends string = QueueName> {
  /** Item actions on the table; omitted means none. */
  table?: readonly TableAction[];
  /** What the function queries (`dynamodb:Query`): the table's own key and/or indexes by name; omitted means none. */
  query?: readonly QueryTarget[];
  /** Queues the function sends messages to. */
  sendTo?: readonly Q[];
  /** Object actions on the documents bucket (the function also gets `DOCUMENTS_BUCKET`); omitted means none. */
  bucket?: readonly BucketAction[];
  /** Read the depth of every queue and its dead-letter queue (operations dashboards). */
  queueStats?: boolean;
  /** Move messages from every dead-letter queue back to its queue (redrive): receive and delete there, send here. */
  queueAdmin?: boolean;
  /**
   * Read the list-cursor signing key (`secretsmanager:GetSecretValue` on that one secret): every list route that
   * answers or takes a `cursor` (docs/decisions.md#cursors-are-signed).
   */
  cursorKey?: boolean;
}

export interface RouteDecl {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway style path, parameters in braces: `/v1/orders/{orderId}`. */
  path: string;
  handler: string;
  /** Roles allowed to call the route (`admin` always may); `public` means no token needed. */
  roles: readonly Role[] | 'public';
  permissions: Permissions;
}

/** The handler of requests no route matches; it has no method, path or roles of its own. */
export interface UnmatchedRouteDecl {
  handler: string;
  permissions: Permissions;
}

export interface QueueDecl {
  name: string;
  processor: string;
  /**
   * The message types the queue carries (the envelope's `type`): senders may send only these to it, and its
   * processor handles exactly these (`MessageType<'orders'>`, shared/queue/send.ts, shared/queue/processor.ts).
   */
  messageTypes: readonly string[];
  /** The `kind` dimension its processor counts work under (`WorkProcessed`, `WorkFailed`, `WorkDeadLettered`). */
  workKind: string;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  permissions: Permissions<string>;
}

export interface ScheduleDecl {
  name: string;
  /** EventBridge schedule expression: `rate(5 minutes)` or `cron(15 0 * * ? *)` (UTC). */
  schedule: string;
  handler: string;
  description: string;
  permissions: Permissions;
}

/**
 * The work queues, one per back-office area that works asynchronously, each with the message types it carries.
 * Declared `as const` so queue names and each queue's message types are types (`QueueName`, `MessageType<Q>`): a
 * send to an unknown queue, or of a type its queue does not declare, fails `npm run typecheck`.
 */
export const queues = [
  // `order.submitted`: a new (or re-queued) submission, decided against current stock (`id` is the order).
  // `backorders.retry`: goods arrived or stock was released (`id` is the SKU, the order or `sweeper`): retry every
  // backordered order, oldest first.
  {
    name: 'orders',
    processor: 'functions/orders/process-order',
    messageTypes: ['order.submitted', 'backorders.retry'],
    workKind: 'order',
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    permissions: { table: [GET, BATCH_GET, PUT, UPDATE], query: ['gsi1'] },
  },
  // `payment.received`: a payment intake wrote `RECEIVED` (or the sweeper re-queued): apply or reject it.
  {
    name: 'payments',
    processor: 'functions/accounting/process-payment',
    messageTypes: ['payment.received'],
    workKind: 'payment',
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT, UPDATE] },
  },
  // One report per message: a report reads a whole day, and one slow report never holds another's batch. Its queries
  // are every report type's: ledger closings and shards (table), receivable invoices and open purchase orders (gsi1),
  // the catalogue (gsi2), the day's orders, journal and cases (gsi3). `report.requested`: generate (or regenerate) one
  // report type for one UTC day; `id` is `<type>/<period>`, `detail` is `{type, period}`.
  {
    name: 'reports',
    processor: 'functions/reports/generate-report',
    messageTypes: ['report.requested'],
    workKind: 'report',
    batchSize: 1,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT], query: ['table', 'gsi1', 'gsi2', 'gsi3'] },
  },
  // `payroll.requested`: a payroll run written `PENDING` (or re-queued by the sweeper); `id` is the period `YYYY-MM`.
  // One run per message, as reports: a run reads every employee, and one month never holds up another's batch. It reads
  // the staff by status (gsi1) and the leavers by last day (gsi3), and writes the run, its lines, the journal entry,
  // a balance shard and the audit event in one transaction.
  {
    name: 'payroll',
    processor: 'functions/hr/process-payroll',
    messageTypes: ['payroll.requested'],
    workKind: 'payroll',
    batchSize: 1,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT, UPDATE], query: ['gsi1', 'gsi3'] },
  },
  // `case.submitted`, `ticket.submitted`: a customer case or IT ticket written `NEW`: triage it.
  {
    name: 'support',
    processor: 'functions/support/triage',
    messageTypes: ['case.submitted', 'ticket.submitted'],
    workKind: 'support',
    batchSize: 10,
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT, UPDATE] },
  },
  // HR's work for other teams. `employee.hired`: open the employee's IT ticket for accounts and equipment;
  // `employee.terminating`: open the IT ticket revoking their access, due by the end of the last day (`id` is the
  // employee). Each ticket then goes to triage on the `support` queue.
  {
    name: 'hr',
    processor: 'functions/hr/process-hr-event',
    messageTypes: ['employee.hired', 'employee.terminating'],
    workKind: 'employee',
    batchSize: 10,
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT, UPDATE], sendTo: ['support'] },
  },
  // S3 sends it `ObjectCreated` notifications for the documents bucket (no envelope, no message types: nothing in the
  // code sends to it); its processor settles the document the object belongs to (docs/contract.md#documents).
  {
    name: 'documents',
    processor: 'functions/documents/process-upload',
    messageTypes: [],
    workKind: 'document',
    batchSize: 10,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    permissions: { table: [GET, PUT, UPDATE], bucket: ['s3:GetObject', 's3:DeleteObject'] },
  },
] as const satisfies readonly QueueDecl[];

/** Names of the declared work queues. */
export type QueueName = (typeof queues)[number]['name'];

/** The declaration of queue `Q`. */
export type QueueDeclOf<Q extends QueueName> = Extract<(typeof queues)[number], { name: Q }>;

/** The message types queue `Q` declares: `MessageType<'orders'>` is `'order.submitted' | 'backorders.retry'`. */
export type MessageType<Q extends QueueName> = QueueDeclOf<Q>['messageTypes'][number];

/**
 * Declared `as const` so each route's key, `METHOD /path`, is a type (`RouteKey`): `httpRoute` takes only a declared
 * one, so a typo fails `npm run typecheck` instead of the function's cold start.
 */
export const routes = [
  { method: 'GET', path: '/health', handler: 'functions/ops/health', roles: 'public', permissions: {} },

  // Orders and inventory (docs/contract.md#orders-and-inventory)
  {
    method: 'POST',
    path: '/v1/orders',
    handler: 'functions/orders/submit-order',
    roles: ['front-office'],
    permissions: { table: [GET, PUT], sendTo: ['orders'] },
  },
  {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    handler: 'functions/orders/get-order',
    roles: ['front-office', 'support', 'accounting', 'ops'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/invoices/{invoiceId}',
    handler: 'functions/accounting/get-invoice',
    roles: ['front-office', 'accounting', 'support'],
    permissions: { table: [GET] },
  },
  {
    method: 'PUT',
    path: '/v1/inventory/items/{sku}',
    handler: 'functions/inventory/put-item',
    roles: ['inventory'],
    permissions: { table: [GET, PUT, UPDATE] },
  },
  {
    method: 'GET',
    path: '/v1/inventory/items/{sku}',
    handler: 'functions/inventory/get-item',
    roles: ['inventory', 'accounting', 'ops'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/inventory/items',
    handler: 'functions/inventory/list-items',
    roles: ['inventory', 'accounting', 'ops'],
    permissions: { query: ['gsi1', 'gsi2'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/inventory/receipts',
    handler: 'functions/inventory/receive-goods',
    roles: ['inventory'],
    permissions: { table: [GET, PUT, UPDATE], sendTo: ['orders'] },
  },
  {
    method: 'POST',
    path: '/v1/inventory/adjustments',
    handler: 'functions/inventory/adjust-stock',
    roles: ['inventory'],
    permissions: { table: [GET, PUT, UPDATE] },
  },
  {
    method: 'GET',
    path: '/v1/purchase-orders',
    handler: 'functions/inventory/list-purchase-orders',
    roles: ['inventory', 'accounting'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },

  // Money: payments, cancellation, the ledger (docs/contract.md#orders-and-inventory cancel, #accounting)
  {
    method: 'POST',
    path: '/v1/orders/{orderId}/cancel',
    handler: 'functions/orders/cancel-order',
    roles: ['front-office', 'support'],
    permissions: { table: [GET, BATCH_GET, PUT, UPDATE], sendTo: ['orders'] },
  },
  {
    method: 'GET',
    path: '/v1/invoices',
    handler: 'functions/accounting/list-invoices',
    roles: ['accounting'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/payments',
    handler: 'functions/accounting/submit-payment',
    roles: ['front-office', 'accounting'],
    permissions: { table: [GET, PUT], sendTo: ['payments'] },
  },
  {
    method: 'GET',
    path: '/v1/payments/{paymentId}',
    handler: 'functions/accounting/get-payment',
    roles: ['front-office', 'accounting'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/ledger/entries',
    handler: 'functions/accounting/list-ledger-entries',
    roles: ['accounting'],
    permissions: { query: ['gsi3'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/ledger/entries',
    handler: 'functions/accounting/post-ledger-entry',
    roles: ['accounting'],
    permissions: { table: [GET, PUT, UPDATE] },
  },
  {
    method: 'GET',
    path: '/v1/ledger/trial-balance',
    handler: 'functions/accounting/get-trial-balance',
    roles: ['accounting'],
    permissions: { table: [GET], query: ['table', 'gsi3'] },
  },

  // Reports (docs/contract.md#reports): the roles are the union of every report type's readers; the handlers check each
  // type's own.
  {
    method: 'POST',
    path: '/v1/reports/{type}/{period}/run',
    handler: 'functions/reports/run-report',
    roles: ['accounting', 'inventory', 'support', 'ops', 'hr'],
    permissions: { sendTo: ['reports'] },
  },
  {
    method: 'GET',
    path: '/v1/reports/{type}/{period}',
    handler: 'functions/reports/get-report',
    roles: ['accounting', 'inventory', 'support', 'ops', 'hr'],
    permissions: { table: [GET] },
  },

  // Customer support and IT (docs/contract.md#customer-support, #it-support)
  {
    method: 'POST',
    path: '/v1/cases',
    handler: 'functions/support/submit-case',
    roles: ['front-office'],
    permissions: { table: [GET, PUT], sendTo: ['support'] },
  },
  {
    method: 'GET',
    path: '/v1/cases/{caseId}',
    handler: 'functions/support/get-case',
    roles: ['support', 'front-office'],
    permissions: { query: ['table'] },
  },
  {
    method: 'GET',
    path: '/v1/cases',
    handler: 'functions/support/list-cases',
    roles: ['support'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/cases/{caseId}/actions',
    handler: 'functions/support/act-on-case',
    roles: ['support'],
    permissions: { table: [PUT, UPDATE], query: ['table'] },
  },
  {
    method: 'GET',
    path: '/v1/customers',
    handler: 'functions/support/find-customers',
    roles: ['support', 'front-office'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/customers/{customerId}/timeline',
    handler: 'functions/support/get-customer-timeline',
    roles: ['support'],
    permissions: { table: [GET], query: ['gsi2'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/it-tickets',
    handler: 'functions/it/submit-ticket',
    roles: STAFF,
    permissions: { table: [GET, PUT], sendTo: ['support'] },
  },
  {
    method: 'GET',
    path: '/v1/it-tickets/{ticketId}',
    handler: 'functions/it/get-ticket',
    roles: STAFF,
    permissions: { query: ['table'] },
  },
  {
    method: 'GET',
    path: '/v1/it-tickets',
    handler: 'functions/it/list-tickets',
    roles: ['it'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },
  {
    method: 'POST',
    path: '/v1/it-tickets/{ticketId}/actions',
    handler: 'functions/it/act-on-ticket',
    roles: ['it'],
    // GetItem: resolving HR's onboarding ticket reads the employee whose IT tasks it completes.
    permissions: { table: [GET, PUT, UPDATE], query: ['table'] },
  },

  // HR (docs/contract.md#hr): salary and personal data, so `hr` only (and `admin`, who may call every route)
  {
    method: 'POST',
    path: '/v1/hr/employees',
    handler: 'functions/hr/hire-employee',
    roles: ['hr'],
    permissions: { table: [GET, PUT, CONDITION_CHECK], sendTo: ['hr'] },
  },
  {
    method: 'GET',
    path: '/v1/hr/employees/{employeeId}',
    handler: 'functions/hr/get-employee',
    roles: ['hr'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/hr/employees',
    handler: 'functions/hr/list-employees',
    roles: ['hr'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },
  {
    method: 'PATCH',
    path: '/v1/hr/employees/{employeeId}',
    handler: 'functions/hr/update-employee',
    roles: ['hr'],
    permissions: { table: [GET, PUT, UPDATE, CONDITION_CHECK] },
  },
  {
    method: 'POST',
    path: '/v1/hr/employees/{employeeId}/tasks/{task}/complete',
    handler: 'functions/hr/complete-onboarding-task',
    roles: ['hr'],
    permissions: { table: [GET, PUT, UPDATE] },
  },
  {
    method: 'POST',
    path: '/v1/hr/employees/{employeeId}/terminate',
    handler: 'functions/hr/terminate-employee',
    roles: ['hr'],
    permissions: { table: [GET, PUT, UPDATE], sendTo: ['hr'] },
  },
  // Payroll (docs/contract.md#hr): `hr` requests runs; `accounting` reads them too (they post to the books).
  {
    method: 'POST',
    path: '/v1/hr/payroll-runs',
    handler: 'functions/hr/request-payroll-run',
    roles: ['hr'],
    permissions: { table: [GET, PUT], sendTo: ['payroll'] },
  },
  {
    method: 'GET',
    path: '/v1/hr/payroll-runs/{period}',
    handler: 'functions/hr/get-payroll-run',
    roles: ['hr', 'accounting'],
    permissions: { query: ['table'] },
  },
  {
    method: 'GET',
    path: '/v1/hr/payroll-runs',
    handler: 'functions/hr/list-payroll-runs',
    roles: ['hr', 'accounting'],
    permissions: { query: ['gsi2'], cursorKey: true },
  },

  // Appointments (docs/contract.md#appointments): front-office books and cancels; support reads them too (it serves the
  // same customers and reads their timeline); only admin declares resources.
  {
    method: 'POST',
    path: '/v1/appointments',
    handler: 'functions/appointments/book-appointment',
    roles: ['front-office'],
    permissions: { table: [GET, PUT] },
  },
  {
    method: 'GET',
    path: '/v1/appointments/{appointmentId}',
    handler: 'functions/appointments/get-appointment',
    roles: ['front-office', 'support'],
    permissions: { table: [GET] },
  },
  {
    method: 'GET',
    path: '/v1/appointments',
    handler: 'functions/appointments/list-appointments',
    roles: ['front-office', 'support'],
    permissions: { query: ['gsi1'], cursorKey: true },
  },
  {
    method: 'DELETE',
    path: '/v1/appointments/{appointmentId}',
    handler: 'functions/appointments/cancel-appointment',
    roles: ['front-office'],
    permissions: { table: [GET, PUT, UPDATE, DELETE] },
  },
  {
    method: 'PUT',
    path: '/v1/appointments/resources/{resourceId}',
    handler: 'functions/appointments/put-resource',
    roles: ['admin'],
    permissions: { table: [GET, PUT, UPDATE] },
  },
  {
    method: 'GET',
    path: '/v1/appointments/resources',
    handler: 'functions/appointments/list-resources',
    roles: ['front-office', 'support'],
    permissions: { query: ['gsi2'], cursorKey: true },
  },

  // Documents (docs/contract.md#documents): any staff role may call them; the service lets a caller reach only the
  // documents of records it may read, by the roles of each record's own GET route.
  {
    method: 'POST',
    path: '/v1/documents',
    handler: 'functions/documents/declare-document',
    roles: STAFF,
    permissions: { table: [GET, PUT], bucket: ['s3:PutObject'] },
  },
  {
    method: 'GET',
    path: '/v1/documents',
    handler: 'functions/documents/list-documents',
    roles: STAFF,
    permissions: { table: [GET], query: ['gsi2'], cursorKey: true },
  },
  {
    method: 'GET',
    path: '/v1/documents/{documentId}',
    handler: 'functions/documents/get-document',
    roles: STAFF,
    permissions: { table: [GET], bucket: ['s3:GetObject'] },
  },
  {
    method: 'DELETE',
    path: '/v1/documents/{documentId}',
    handler: 'functions/documents/delete-document',
    roles: STAFF,
    permissions: { table: [GET, PUT, UPDATE], bucket: ['s3:DeleteObject'] },
  },

  // Compliance (docs/contract.md#audit-events)
  {
    method: 'GET',
    path: '/v1/audit',
    handler: 'functions/compliance/list-audit-events',
    roles: ['admin'],
    permissions: { query: ['table', 'gsi2'], cursorKey: true },
  },

  // Operations (docs/contract.md#operations)
  {
    method: 'GET',
    path: '/v1/ops/queues',
    handler: 'functions/ops/list-queues',
    roles: ['ops'],
    permissions: { queueStats: true },
  },
  {
    method: 'POST',
    path: '/v1/ops/queues/{name}/redrive',
    handler: 'functions/ops/redrive-queue',
    roles: ['ops'],
    permissions: { queueAdmin: true },
  },
  {
    method: 'GET',
    path: '/v1/ops/summary',
    handler: 'functions/ops/get-summary',
    roles: ['ops'],
    permissions: { query: ['gsi1', 'gsi3'], queueStats: true },
  },
] as const satisfies readonly RouteDecl[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;

/** The key of every declared route, `METHOD /path` as API Gateway writes it: `'POST /v1/orders'`. */
export type RouteKey = KeyOf<(typeof routes)[number]>;

/**
 * What answers a request that matches no route above: the HTTP API's `$default` route. Without it API Gateway answers
 * such a request itself with `404 {"message":"Not Found"}` (plain JSON), where docs/contract.md#conventions promises
 * problem details; the local gateway calls the same handler. It sits behind the JWT authorizer like every staff route,
 * so a caller without a valid token gets the authorizer's 401 and no function runs (scanners cost nothing), and it gets
 * no permissions: it answers 404 and touches nothing.
 */
export const unmatchedRoute: UnmatchedRouteDecl = { handler: 'functions/ops/not-found', permissions: {} };

export const schedules: ScheduleDecl[] = [
  {
    name: 'sweep-submissions',
    schedule: 'rate(5 minutes)',
    handler: 'functions/ops/sweep-submissions',
    description:
      'Re-queues submissions (orders, payments) still RECEIVED and payroll runs still PENDING after 5 minutes, ' +
      'employees still without their onboarding or revoking IT ticket, and retries backorders.',
    permissions: { query: ['gsi1'], sendTo: ['orders', 'payments', 'payroll', 'hr'] },
  },
  {
    name: 'reorder-sweep',
    schedule: 'cron(30 2 * * ? *)',
    handler: 'functions/inventory/reorder-sweep',
    description: 'Opens the purchase order any low-stock item is missing (nightly).',
    permissions: { table: [GET, PUT, UPDATE], query: ['gsi1'] },
  },
  {
    name: 'daily-reports',
    schedule: 'cron(15 0 * * ? *)',
    handler: 'functions/reports/daily-reports',
    description:
      'Queues every daily report type for the previous UTC day (00:15 UTC), and on the 1st every monthly type ' +
      'for the month before.',
    permissions: { sendTo: ['reports'] },
  },
  {
    name: 'ledger-close',
    schedule: 'cron(5 0 * * ? *)',
    handler: 'functions/accounting/close-ledger',
    description:
      'Stores the closing balances of the previous UTC day (and any day missed) from the ledger balance shards.',
    permissions: { table: [PUT, UPDATE], query: ['table'] },
  },
  {
    name: 'sla-monitor',
    schedule: 'rate(5 minutes)',
    handler: 'functions/support/monitor-sla',
    description:
      'Triages cases and tickets never triaged, marks SLA breaches (escalating once), ' +
      'closes resolved work after 7 days.',
    permissions: { table: [GET, PUT, UPDATE], query: ['gsi4'] },
  },
  {
    name: 'hr-terminations',
    schedule: 'cron(1 * * * ? *)',
    handler: 'functions/hr/complete-terminations',
    description:
      'Makes TERMINATING employees whose last day has ended TERMINATED and frees their email for a rehire (hourly).',
    permissions: { table: [GET, PUT, UPDATE, DELETE], query: ['gsi1'] },
  },
  {
    name: 'documents-expiry',
    schedule: 'rate(15 minutes)',
    handler: 'functions/documents/expire-documents',
    description: 'Marks EXPIRED every document still PENDING an hour after its upload URL expired.',
    permissions: { table: [GET, PUT, UPDATE], query: ['gsi1'] },
  },
];

/** The declared queues' names, in declaration order (derived, so the list and the declarations cannot differ). */
export const QUEUE_NAMES: readonly QueueName[] = queues.map((queue) => queue.name);

/** The declaration of a queue by name. */
export function queueDecl<Q extends QueueName>(name: Q): QueueDeclOf<Q> {
  const found = queues.find((queue) => queue.name === name);
  if (!found) throw new Error(`Queue ${name} is not declared in shared/manifest.ts`);
  return found as QueueDeclOf<Q>;
}

/** Environment variable through which a function learns a queue's URL: `orders` → `QUEUE_URL_ORDERS`. */
export function queueUrlEnv(name: string): string {
  return `QUEUE_URL_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** Environment variable naming a queue's dead-letter queue URL (used by operations routes). */
export function dlqUrlEnv(name: string): string {
  return `DLQ_URL_${name.toUpperCase().replace(/-/g, '_')}`;
}
