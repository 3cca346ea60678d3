import { describe, expect, it } from 'vitest';
import {
  computePayroll,
  daysEmployed,
  grossPayCents,
  monthBounds,
  monthlyHeadcount,
  payPeriodSchema,
  payrollJournalLines,
  previousMonth,
} from '#shared/domain/payroll.ts';
import type { Employee } from '#shared/domain/hr.ts';
import { reportPeriodSchema, scheduledPeriod } from '#shared/reports/period.ts';
import { grossByDepartment } from '#shared/reports/payroll-monthly.ts';

const NOW = () => new Date('2026-12-03T10:00:00.000Z');

let ids = 0;
function employee(overrides: Partial<Employee> = {}): Employee {
  ids += 1;
  return {
    employeeId: `emp_${String(ids).padStart(4, '0')}`,
    status: 'ACTIVE',
    name: 'Staff',
    email: `staff-${ids}@example.com`,
    title: 'Engineer',
    department: 'Engineering',
    startDate: '2020-01-01',
    annualSalaryCents: 12_000_000,
    tasks: [],
    createdAt: '2020-01-01T00:00:00.000Z',
    updatedAt: '2020-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The exact gross in cents as a fraction, rounded half up by hand: what `grossPayCents` must agree with. */
function expectedGross(annual: number, days: number, daysInMonth: number): number {
  const numerator = BigInt(annual) * BigInt(days);
  const denominator = 12n * BigInt(daysInMonth);
  const whole = numerator / denominator;
  const remainder = numerator - whole * denominator;
  return Number(2n * remainder >= denominator ? whole + 1n : whole);
}

describe('days employed in a month', () => {
  it('counts the whole month for someone employed before and after it', () => {
    expect(daysEmployed('2020-01-01', undefined, '2026-11')).toBe(30);
    expect(daysEmployed('2020-01-01', undefined, '2026-12')).toBe(31);
  });

  it('counts 1 day for someone hired on the 31st, and 1 for someone whose last day is the 1st', () => {
    expect(daysEmployed('2026-01-31', undefined, '2026-01')).toBe(1);
    expect(daysEmployed('2020-01-01', '2026-03-01', '2026-03')).toBe(1);
  });

  it('counts from the start to the last day, inclusive, for someone hired and gone in the same month', () => {
    expect(daysEmployed('2026-04-10', '2026-04-20', '2026-04')).toBe(11);
    expect(daysEmployed('2026-04-10', '2026-04-10', '2026-04')).toBe(1);
  });

  it('knows a leap February has 29 days and another 28', () => {
    expect(monthBounds('2028-02')).toEqual({ firstDay: '2028-02-01', lastDay: '2028-02-29', days: 29 });
    expect(monthBounds('2026-02')).toEqual({ firstDay: '2026-02-01', lastDay: '2026-02-28', days: 28 });
    expect(daysEmployed('2020-01-01', undefined, '2028-02')).toBe(29);
    expect(daysEmployed('2028-02-15', undefined, '2028-02')).toBe(15);
  });

  it('counts 0 for someone who starts after the month or left before it', () => {
    expect(daysEmployed('2026-05-01', undefined, '2026-04')).toBe(0);
    expect(daysEmployed('2020-01-01', '2026-03-31', '2026-04')).toBe(0);
  });
});

describe('gross pay', () => {
  it('pays a twelfth of the salary for a whole month', () => {
    expect(grossPayCents(12_000_000, 30, 30)).toBe(1_000_000);
    expect(grossPayCents(12_000_000, 29, 29)).toBe(1_000_000);
  });

  it('prorates by days employed over days in the month, one exact fraction rounded once', () => {
    // 1 day of January: 12,000,000 / 12 / 31 = 32,258.06… → 32,258.
    expect(grossPayCents(12_000_000, 1, 31)).toBe(32_258);
    // 15 days of a 29-day February: 1,000,000 × 15 / 29 = 517,241.37… → 517,241.
    expect(grossPayCents(12_000_000, 15, 29)).toBe(517_241);
  });

  it('rounds a salary that does not divide by 12 to the nearest cent', () => {
    expect(grossPayCents(100_000, 31, 31)).toBe(8_333); // 8,333.33…
    expect(grossPayCents(100_010, 31, 31)).toBe(8_334); // 8,334.166…
  });

  it('rounds exactly half a cent up', () => {
    expect(grossPayCents(1_200_006, 30, 30)).toBe(100_001); // 100,000.5 (a whole month)
    expect(grossPayCents(36_000_180, 1, 30)).toBe(100_001); // 100,000.5 (1 day of 30)
    expect(grossPayCents(18, 30, 30)).toBe(2); // 1.5
    expect(grossPayCents(6, 30, 30)).toBe(1); // 0.5
  });

  it('stays exact at the highest salary and agrees with the fraction for many cases', () => {
    expect(grossPayCents(10_000_000_000, 31, 31)).toBe(833_333_333);
    for (const annual of [0, 1, 7, 99_999, 1_234_567, 12_000_000, 9_999_999_999]) {
      for (const daysInMonth of [28, 29, 30, 31]) {
        for (const days of [0, 1, 13, daysInMonth]) {
          expect(grossPayCents(annual, days, daysInMonth), `${annual} ${days}/${daysInMonth}`).toBe(
            expectedGross(annual, days, daysInMonth),
          );
        }
      }
    }
  });

  it('refuses days outside the month and negative salaries', () => {
    expect(() => grossPayCents(100, 32, 31)).toThrow(RangeError);
    expect(() => grossPayCents(-1, 1, 31)).toThrow(RangeError);
  });
});

describe('a month’s payroll', () => {
  it('pays each employee once, by id, leaves out who has no day in the month, and totals the lines', () => {
    const whole = employee({ annualSalaryCents: 12_000_000, department: 'Sales' });
    const leftOnFirst = employee({ lastDay: '2026-03-01', status: 'TERMINATED', annualSalaryCents: 3_100_000 * 12 });
    const leftBefore = employee({ lastDay: '2026-02-28', status: 'TERMINATED' });
    const startsAfter = employee({ startDate: '2026-04-01', status: 'ONBOARDING' });

    const payroll = computePayroll([whole, leftOnFirst, whole, leftBefore, startsAfter, leftOnFirst], '2026-03');

    expect(payroll.lines).toEqual([
      { employeeId: whole.employeeId, department: 'Sales', days: 31, grossCents: 1_000_000 },
      { employeeId: leftOnFirst.employeeId, department: 'Engineering', days: 1, grossCents: 100_000 },
    ]);
    expect(payroll.totalCents).toBe(1_100_000);
  });

  it('pays nothing and posts no lines when no one was employed', () => {
    expect(computePayroll([], '2026-03')).toEqual({ lines: [], totalCents: 0 });
    expect(payrollJournalLines(0)).toEqual([]);
  });

  it('posts the total Dr 6000 Salaries Expense / Cr 1000 Cash', () => {
    expect(payrollJournalLines(1_100_000)).toEqual([
      { account: '6000', debitCents: 1_100_000, creditCents: 0 },
      { account: '1000', debitCents: 0, creditCents: 1_100_000 },
    ]);
  });
});

describe('pay periods', () => {
  const schema = payPeriodSchema(NOW);

  it('takes a calendar month up to the current one', () => {
    for (const period of ['2026-12', '2026-11', '2026-01', '2025-02', '1999-12']) {
      expect(schema.safeParse(period).success, period).toBe(true);
    }
  });

  it('refuses a month after the current one, and what is not a month', () => {
    for (const period of ['2027-01', '2026-13', '2026-00', '2026-1', '2026-11-01', '26-11', 'November', '']) {
      expect(schema.safeParse(period).success, period).toBe(false);
    }
    expect(schema.safeParse('2027-01').error?.issues[0]?.message).toBe('Must not be after the current month');
  });

  it('steps back a month across a year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-12')).toBe('2026-11');
  });
});

describe('monthly report periods', () => {
  it('validates a monthly type’s period as a month and a daily type’s as a day', () => {
    expect(reportPeriodSchema('month', NOW).safeParse('2026-11').success).toBe(true);
    expect(reportPeriodSchema('month', NOW).safeParse('2027-01').success).toBe(false);
    expect(reportPeriodSchema('month', NOW).safeParse('2026-11-30').success).toBe(false);
    expect(reportPeriodSchema('day', NOW).safeParse('2026-11').success).toBe(false);
    expect(reportPeriodSchema('day', NOW).safeParse('2026-11-30').success).toBe(true);
  });

  it('schedules a monthly type on the day that ends its month only', () => {
    expect(scheduledPeriod('month', '2026-11-30')).toBe('2026-11');
    expect(scheduledPeriod('month', '2028-02-29')).toBe('2028-02');
    expect(scheduledPeriod('month', '2026-02-28')).toBe('2026-02');
    expect(scheduledPeriod('month', '2028-02-28')).toBeUndefined();
    expect(scheduledPeriod('month', '2026-11-29')).toBeUndefined();
    expect(scheduledPeriod('day', '2026-11-29')).toBe('2026-11-29');
  });
});

describe('monthly headcount', () => {
  it('counts who is employed at the month’s end, who started in it and who left in it, each once', () => {
    const staying = employee();
    const hired = employee({ startDate: '2026-06-10' });
    const hiredAndGone = employee({ startDate: '2026-06-02', lastDay: '2026-06-20', status: 'TERMINATED' });
    const leavesOnLastDay = employee({ lastDay: '2026-06-30', status: 'TERMINATED' });
    const leftLater = employee({ lastDay: '2026-08-01', status: 'TERMINATED' });
    const startsLater = employee({ startDate: '2026-07-01', status: 'ONBOARDING' });

    expect(
      monthlyHeadcount([staying, hired, hiredAndGone, leavesOnLastDay, leftLater, startsLater, staying], '2026-06'),
    ).toEqual({ headcount: 4, hires: 2, leavers: 2 });
  });

  it('sums gross pay by department, by department name', () => {
    expect(
      grossByDepartment([
        { employeeId: 'e1', department: 'Sales', days: 30, grossCents: 100 },
        { employeeId: 'e2', department: 'Engineering', days: 30, grossCents: 250 },
        { employeeId: 'e3', department: 'Sales', days: 3, grossCents: 11 },
      ]),
    ).toEqual([
      { department: 'Engineering', employees: 1, grossPayCents: 250 },
      { department: 'Sales', employees: 2, grossPayCents: 111 },
    ]);
  });
});
