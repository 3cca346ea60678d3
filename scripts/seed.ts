/**
 * `npm run seed`: loads a small demo company into the running local stack (`npm start`) over HTTP, as its staff
 * would: the inventory clerk creates items with opening stock, front office submits a few orders, and the seed waits
 * for the order processor to decide them; then front office files customer cases (one about an order), support works
 * two of them, and an employee files an IT ticket; hr hires three employees and runs last month's payroll. It prints
 * what it did. Safe to run again: items that already exist
 * are left alone, orders, cases and tickets carry an `Idempotency-Key`, so a second run within 24 hours replays
 * instead of duplicating, and agents act only on cases still `OPEN`.
 *
 * Target: `BACK_OFFICE_URL`, else the URL the running stack recorded, else http://127.0.0.1:$PORT (3000). Tokens
 * are signed with the local stack's key (the one `npm run token` uses), so this works against the local stack only.
 */
import type { Role } from '#shared/manifest.ts';
import { loadOrCreateSigningKeys, signToken, type SigningKeys } from './local/auth.ts';
import { defaultDataDir } from './local/paths.ts';
import { readState } from './local/state.ts';

interface DemoItem {
  sku: string;
  name: string;
  unitPriceCents: number;
  unitCostCents: number;
  reorderPoint: number;
  reorderQuantity: number;
  onHand: number;
}

const ITEMS: DemoItem[] = [
  {
    sku: 'DESK-OAK-140',
    name: 'Oak desk, 140 cm',
    unitPriceCents: 34900,
    unitCostCents: 18000,
    reorderPoint: 5,
    reorderQuantity: 20,
    onHand: 40,
  },
  {
    sku: 'CHAIR-ERGO',
    name: 'Ergonomic office chair',
    unitPriceCents: 24900,
    unitCostCents: 12000,
    reorderPoint: 10,
    reorderQuantity: 30,
    onHand: 60,
  },
  {
    sku: 'LAMP-LED',
    name: 'LED desk lamp',
    unitPriceCents: 3900,
    unitCostCents: 1500,
    reorderPoint: 20,
    reorderQuantity: 100,
    onHand: 150,
  },
  {
    sku: 'MONITOR-27',
    name: '27-inch monitor',
    unitPriceCents: 27900,
    unitCostCents: 19000,
    reorderPoint: 8,
    reorderQuantity: 20,
    onHand: 12,
  },
  {
    sku: 'CABLE-USBC-2M',
    name: 'USB-C cable, 2 m',
    unitPriceCents: 1200,
    unitCostCents: 300,
    reorderPoint: 50,
    reorderQuantity: 500,
    onHand: 400,
  },
  {
    sku: 'DOCK-USBC',
    name: 'USB-C docking station',
    unitPriceCents: 18900,
    unitCostCents: 11000,
    reorderPoint: 5,
    reorderQuantity: 15,
    onHand: 3,
  },
];

interface DemoOrder {
  key: string;
  what: string;
  body: {
    customer: { name: string; email: string; phone?: string };
    lines: { sku: string; quantity: number }[];
    notes?: string;
  };
}

const ORDERS: DemoOrder[] = [
  {
    key: 'seed-order-1',
    what: 'a desk set (confirms)',
    body: {
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0018' },
      lines: [
        { sku: 'DESK-OAK-140', quantity: 1 },
        { sku: 'CHAIR-ERGO', quantity: 1 },
        { sku: 'LAMP-LED', quantity: 2 },
      ],
    },
  },
  {
    key: 'seed-order-2',
    what: 'monitors (confirms; MONITOR-27 reaches its reorder point: a purchase order opens)',
    body: {
      customer: { name: 'Grace Hopper', email: 'grace@example.com' },
      lines: [
        { sku: 'MONITOR-27', quantity: 5 },
        { sku: 'CABLE-USBC-2M', quantity: 5 },
      ],
      notes: 'Deliver to the 3rd floor.',
    },
  },
  {
    key: 'seed-order-3',
    what: 'ten docks with three in stock (backorders)',
    body: { customer: { name: 'Alan Turing', email: 'alan@example.com' }, lines: [{ sku: 'DOCK-USBC', quantity: 10 }] },
  },
  {
    key: 'seed-order-4',
    what: 'an unknown SKU (rejected)',
    body: {
      customer: { name: 'Katherine Johnson', email: 'katherine@example.com' },
      lines: [
        { sku: 'LAMP-LED', quantity: 1 },
        { sku: 'GADGET-9000', quantity: 1 },
      ],
    },
  },
  {
    key: 'seed-order-5',
    what: 'cables for a returning customer (same customer id, email in another case)',
    body: {
      customer: { name: 'Ada Lovelace', email: 'ADA@example.com' },
      lines: [{ sku: 'CABLE-USBC-2M', quantity: 3 }],
    },
  },
];

function baseUrl(): string {
  if (process.env.BACK_OFFICE_URL) return process.env.BACK_OFFICE_URL.replace(/\/$/, '');
  const recorded = readState(defaultDataDir())?.url;
  if (recorded) return recorded.replace(/\/$/, '');
  return `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function client(url: string, keys: SigningKeys) {
  const tokens = new Map<Role, string>();
  return async (
    role: Role,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    let token = tokens.get(role);
    if (!token) {
      token = await signToken(keys, { roles: [role], sub: `seed-${role}` });
      tokens.set(role, token);
    }
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  };
}

interface DemoCase {
  key: string;
  what: string;
  body: Record<string, unknown>;
  /** What support does once the case is triaged (only while it is still OPEN). */
  actions: Record<string, unknown>[];
}

/** Cases: the first one names the first demo order (filled in at run time). */
function demoCases(orderId: string | undefined): DemoCase[] {
  return [
    {
      key: 'seed-case-1',
      what: 'a complaint about the desk order (assigned, answered)',
      body: {
        customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
        category: 'complaint',
        priority: 'high',
        subject: 'Desk arrived scratched',
        description: 'The oak top has a long scratch along the front edge.',
        ...(orderId ? { orderId } : {}),
      },
      actions: [
        { action: 'assign', assignee: 'seed-support' },
        { action: 'comment', note: 'Sorry about that: a replacement top is on its way.' },
      ],
    },
    {
      key: 'seed-case-2',
      what: 'an inquiry (left open)',
      body: {
        customer: { name: 'Grace Hopper', email: 'grace@example.com' },
        category: 'inquiry',
        priority: 'normal',
        subject: 'Delivery to the 3rd floor?',
        description: 'Will the courier carry the monitors upstairs?',
      },
      actions: [],
    },
    {
      key: 'seed-case-3',
      what: 'a billing question (resolved)',
      body: {
        customer: { name: 'Alan Turing', email: 'alan@example.com' },
        category: 'billing',
        priority: 'urgent',
        subject: 'Charged twice?',
        description: 'My card statement shows two charges.',
      },
      actions: [{ action: 'resolve', resolution: 'One charge was a pre-authorisation; it has been released.' }],
    },
  ];
}

type Call = ReturnType<typeof client>;

/** Cases and an IT ticket, triaged by the support queue's processor, two cases worked by support. */
async function seedDesk(call: Call, firstOrderId: string | undefined): Promise<void> {
  console.log('\nCases (front office) and an IT ticket (an employee):');
  const filed: { location: string; what: string; actions: Record<string, unknown>[] }[] = [];
  for (const demo of demoCases(firstOrderId)) {
    const answer = await call('front-office', 'POST', '/v1/cases', demo.body, { 'idempotency-key': demo.key });
    if (answer.status !== 202)
      throw new Error(`POST /v1/cases answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    filed.push({ location: `/v1/cases/${String(answer.body.caseId)}`, what: demo.what, actions: demo.actions });
    console.log(`  ${String(answer.body.caseId)}  ${demo.what}`);
  }
  const ticket = await call(
    'employee',
    'POST',
    '/v1/it-tickets',
    {
      category: 'hardware',
      priority: 'high',
      subject: 'Laptop fan is very loud',
      description: 'Since Monday, even when idle.',
    },
    { 'idempotency-key': 'seed-ticket-1' },
  );
  if (ticket.status !== 202)
    throw new Error(`POST /v1/it-tickets answered ${ticket.status}: ${JSON.stringify(ticket.body)}`);
  console.log(`  ${String(ticket.body.ticketId)}  an employee's IT ticket (left open)`);

  console.log('\nWaiting for triage, then support works the cases...');
  for (const { location, what, actions } of filed) {
    let state: Record<string, unknown> = {};
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      state = (await call('support', 'GET', location)).body;
      if (state.status !== 'NEW') break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    if (state.status === 'OPEN') {
      for (const action of actions) {
        const answer = await call('support', 'POST', `${location}/actions`, action);
        if (answer.status !== 200)
          throw new Error(`POST ${location}/actions answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        state = answer.body;
      }
    }
    console.log(`  ${location.split('/').pop()}  ${String(state.status ?? 'not triaged yet').padEnd(11)} ${what}`);
  }
}

interface DemoHire {
  key: string;
  body: Record<string, unknown>;
  /** Onboarding finished by hand (all four tasks), so the employee is `ACTIVE`. */
  onboarded: boolean;
}

const HIRES: DemoHire[] = [
  {
    key: 'seed-hire-1',
    onboarded: true,
    body: {
      name: 'Margaret Hamilton',
      email: 'margaret@backoffice.example',
      title: 'Head of Operations',
      department: 'Operations',
      startDate: '2026-01-05',
      annualSalaryCents: 14_400_000,
    },
  },
  {
    key: 'seed-hire-2',
    onboarded: true,
    body: {
      name: 'Katherine Johnson',
      email: 'katherine@backoffice.example',
      title: 'Accountant',
      department: 'Finance',
      startDate: '2026-03-02',
      annualSalaryCents: 8_400_000,
    },
  },
  {
    key: 'seed-hire-3',
    onboarded: false,
    body: {
      name: 'Dorothy Vaughan',
      email: 'dorothy@backoffice.example',
      title: 'Warehouse Lead',
      department: 'Operations',
      startDate: '2026-12-01',
      annualSalaryCents: 6_000_000,
    },
  },
];

const ONBOARDING_TASKS = ['accounts', 'equipment', 'benefits_enrollment', 'policy_acknowledgement'];

/** Staff (hr): a head of operations who manages the others, two onboarded, one still onboarding. */
async function seedStaff(call: Call): Promise<void> {
  console.log('\nStaff (hr):');
  let managerId: string | undefined;
  for (const hire of HIRES) {
    const body = managerId ? { ...hire.body, managerId } : hire.body;
    const answer = await call('hr', 'POST', '/v1/hr/employees', body, { 'idempotency-key': hire.key });
    if (answer.status === 409) {
      console.log(`  ${String(hire.body.email)} already works here; left as is`);
      continue;
    }
    if (answer.status !== 202)
      throw new Error(`POST /v1/hr/employees answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const employeeId = String(answer.body.employeeId);
    managerId ??= employeeId;
    let status = String(answer.body.status);
    if (hire.onboarded) {
      for (const task of ONBOARDING_TASKS) {
        const done = await call('hr', 'POST', `/v1/hr/employees/${employeeId}/tasks/${task}/complete`);
        if (done.status !== 200)
          throw new Error(`completing ${task} answered ${done.status}: ${JSON.stringify(done.body)}`);
        status = String(done.body.status);
      }
    }
    console.log(`  ${employeeId}  ${status.padEnd(10)} ${String(hire.body.name)}, ${String(hire.body.title)}`);
  }
}

/**
 * A delivery note attached to the first order (front-office), uploaded straight to S3 through the presigned URL as a
 * browser would, then read until the documents processor settled it. A second seed finds it attached and leaves it.
 */
async function seedDocument(call: Call, orderId: string | undefined): Promise<void> {
  if (!orderId) return;
  console.log('\nDocuments (front-office):');
  const listed = await call('front-office', 'GET', `/v1/documents?entityId=${orderId}`);
  const existing = (listed.body.items ?? []) as { documentId: string; status: string }[];
  if (existing.length > 0) {
    for (const document of existing) console.log(`  ${document.documentId}  ${document.status} (already attached)`);
    return;
  }
  const bytes = Buffer.from(`Delivery note for ${orderId}\nDelivered and signed for.\n`);
  const declared = await call('front-office', 'POST', '/v1/documents', {
    entityId: orderId,
    fileName: 'delivery-note.txt',
    contentType: 'text/plain',
    sizeBytes: bytes.length,
  });
  if (declared.status !== 201)
    throw new Error(`POST /v1/documents answered ${declared.status}: ${JSON.stringify(declared.body)}`);
  const documentId = String(declared.body.documentId);
  const uploaded = await fetch(String(declared.body.uploadUrl), {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'text/plain' },
  });
  if (!uploaded.ok) throw new Error(`The upload to the presigned URL answered ${uploaded.status}`);
  let status = 'PENDING';
  for (let attempt = 0; attempt < 40 && status === 'PENDING'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = String((await call('front-office', 'GET', `/v1/documents/${documentId}`)).body.status);
  }
  console.log(`  ${documentId}  ${status.padEnd(9)} delivery-note.txt on ${orderId}`);
}

const WEEKDAY_HOURS = [{ from: '09:00', to: '17:00' }];

/** Bookable resources (admin), opening hours in UTC: an advice room on weekdays, a meeting room every day. */
const RESOURCES = [
  {
    resourceId: 'advice-room',
    name: 'Advice room',
    openingHours: {
      mon: WEEKDAY_HOURS,
      tue: WEEKDAY_HOURS,
      wed: WEEKDAY_HOURS,
      thu: WEEKDAY_HOURS,
      fri: WEEKDAY_HOURS,
    },
  },
  {
    resourceId: 'meeting-room-2',
    name: 'Meeting room 2',
    openingHours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ from: '08:00', to: '20:00' }]]),
    ),
  },
];

/** The next weekday (UTC) after today: the demo bookings fall inside both resources' hours. */
function nextWeekday(): string {
  const day = new Date(Date.now() + 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** Resources (admin) and a few bookings (front-office) on the next weekday; one of them cancelled. */
async function seedAppointments(call: Call): Promise<void> {
  console.log('\nAppointments:');
  for (const { resourceId, ...body } of RESOURCES) {
    const put = await call('admin', 'PUT', `/v1/appointments/resources/${resourceId}`, body);
    if (put.status !== 201 && put.status !== 200)
      throw new Error(`PUT resource ${resourceId} answered ${put.status}: ${JSON.stringify(put.body)}`);
    console.log(`  resource ${resourceId} ${put.status === 201 ? 'declared' : 'already declared'}`);
  }
  const day = nextWeekday();
  const bookings = [
    { resourceId: 'advice-room', start: '09:00', end: '10:00', name: 'Ada Lovelace', email: 'ada@example.com' },
    { resourceId: 'advice-room', start: '10:30', end: '11:00', name: 'Alan Turing', email: 'alan@example.com' },
    { resourceId: 'meeting-room-2', start: '14:00', end: '16:00', name: 'Grace Hopper', email: 'grace@example.com' },
    { resourceId: 'advice-room', start: '15:00', end: '15:30', name: 'Alan Turing', email: 'alan@example.com' },
  ];
  for (const [i, booking] of bookings.entries()) {
    const answer = await call(
      'front-office',
      'POST',
      '/v1/appointments',
      {
        resourceId: booking.resourceId,
        customer: { name: booking.name, email: booking.email },
        start: `${day}T${booking.start}:00Z`,
        end: `${day}T${booking.end}:00Z`,
        purpose: 'Demo appointment',
      },
      { 'idempotency-key': `seed-appointment-${day}-${i}` },
    );
    if (answer.status === 409) {
      console.log(`  ${booking.resourceId} ${day} ${booking.start}–${booking.end} already booked; left as is`);
      continue;
    }
    if (answer.status !== 201)
      throw new Error(`POST /v1/appointments answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const appointmentId = String(answer.body.appointmentId);
    let status = 'BOOKED';
    if (i === bookings.length - 1) {
      const cancelled = await call('front-office', 'DELETE', `/v1/appointments/${appointmentId}`);
      // 409: cancelled by an earlier run of the seed (the booking's key replayed it).
      status = cancelled.status === 200 || cancelled.status === 409 ? 'CANCELLED' : status;
    }
    console.log(`  ${appointmentId}  ${status.padEnd(9)} ${booking.resourceId} ${day} ${booking.start}–${booking.end}`);
  }
}

/**
 * Last month's payroll (hr), run as hr would: requested once (a second seed finds the month's run and is answered 200
 * with it), then read until the payroll processor completed it.
 */
async function seedPayroll(call: Call): Promise<void> {
  const lastMonth = new Date();
  lastMonth.setUTCDate(1);
  lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
  const period = lastMonth.toISOString().slice(0, 7);
  console.log(`\nPayroll (hr) for ${period}:`);
  const answer = await call(
    'hr',
    'POST',
    '/v1/hr/payroll-runs',
    { period },
    { 'idempotency-key': `seed-payroll-${period}` },
  );
  if (answer.status !== 202 && answer.status !== 200)
    throw new Error(`POST /v1/hr/payroll-runs answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  let run: Record<string, unknown> = answer.body;
  for (let attempt = 0; attempt < 40 && run.status !== 'COMPLETED'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = (await call('hr', 'GET', `/v1/hr/payroll-runs/${period}`)).body;
  }
  if (run.status !== 'COMPLETED') {
    console.log(`  ${period}  ${String(run.status)} (not processed yet; the payroll processor will complete it)`);
    return;
  }
  const lines = (run.lines ?? []) as { employeeId: string; days: number; grossCents: number }[];
  for (const line of lines) {
    console.log(`  ${line.employeeId}  ${String(line.days).padStart(2)} days  ${(line.grossCents / 100).toFixed(2)}`);
  }
  console.log(`  ${period}  COMPLETED  total ${(Number(run.totalCents) / 100).toFixed(2)} (Dr 6000 / Cr 1000)`);
}

const FINAL = new Set(['CONFIRMED', 'BACKORDERED', 'REJECTED', 'CANCELLED', 'PAID']);

async function main(): Promise<void> {
  const url = baseUrl();
  try {
    const health = await fetch(`${url}/health`);
    if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
  } catch (error) {
    console.error(
      `The back office does not answer at ${url} (${(error as Error).message}). ` +
        'Start it with `npm start`, or set BACK_OFFICE_URL.',
    );
    process.exit(1);
  }
  const call = client(url, await loadOrCreateSigningKeys(defaultDataDir()));
  console.log(`Seeding the demo company into ${url}\n`);

  console.log('Items (inventory):');
  for (const item of ITEMS) {
    const { sku, ...body } = item;
    const existing = await call('inventory', 'GET', `/v1/inventory/items/${sku}`);
    if (existing.status === 200) {
      console.log(`  ${sku.padEnd(14)} already there, ${existing.body.onHand} on hand; left as is`);
      continue;
    }
    const put = await call('inventory', 'PUT', `/v1/inventory/items/${sku}`, body);
    if (put.status >= 300)
      throw new Error(`PUT /v1/inventory/items/${sku} answered ${put.status}: ${JSON.stringify(put.body)}`);
    console.log(
      `  ${sku.padEnd(14)} created: ${item.name}, ` +
        `${item.onHand} on hand at ${(item.unitCostCents / 100).toFixed(2)} cost, ` +
        `price ${(item.unitPriceCents / 100).toFixed(2)}, reorder at ${item.reorderPoint}`,
    );
  }

  console.log('\nOrders (front office):');
  const submitted: { orderId: string; what: string }[] = [];
  for (const order of ORDERS) {
    const answer = await call('front-office', 'POST', '/v1/orders', order.body, { 'idempotency-key': order.key });
    if (answer.status !== 202)
      throw new Error(`POST /v1/orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const orderId = String(answer.body.orderId);
    submitted.push({ orderId, what: order.what });
    console.log(`  ${orderId}  ${order.body.customer.name}: ${order.what}`);
  }

  console.log('\nWaiting for the order processor...');
  const deadline = Date.now() + 30_000;
  const statuses = new Map<string, Record<string, unknown>>();
  while (Date.now() < deadline) {
    for (const { orderId } of submitted) {
      if (FINAL.has(String(statuses.get(orderId)?.status))) continue;
      const answer = await call('ops', 'GET', `/v1/orders/${orderId}`);
      if (answer.status === 200) statuses.set(orderId, answer.body);
    }
    if (submitted.every(({ orderId }) => FINAL.has(String(statuses.get(orderId)?.status)))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const { orderId, what } of submitted) {
    const order = statuses.get(orderId);
    const total =
      typeof order?.totalCents === 'number' ? ` total ${(order.totalCents / 100).toFixed(2)} ${order.currency}` : '';
    const reason = order?.rejectionReason ? ` (${order.rejectionReason})` : '';
    console.log(`  ${orderId}  ${String(order?.status ?? 'not processed yet').padEnd(11)}${total}${reason}  ${what}`);
  }

  const summary = await call('ops', 'GET', '/v1/ops/summary');
  if (summary.status === 200) {
    console.log(`\nToday's summary (GET /v1/ops/summary): ${JSON.stringify(summary.body)}`);
  }
  await seedDesk(call, submitted[0]?.orderId);
  await seedStaff(call);
  await seedDocument(call, submitted[0]?.orderId);
  await seedAppointments(call);
  await seedPayroll(call);
  const tryIt =
    'Try: TOKEN=$(npm run --silent token -- --role inventory); ' +
    'curl -s "$URL/v1/inventory/items?belowReorderPoint=true" -H "authorization: Bearer $TOKEN"';
  console.log(tryIt.replace('$URL', url));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
