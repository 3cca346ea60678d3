/**
 * CSV for reports (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break). Every report
 * is written as one rectangular table `section,key,metric,value`, so any CSV reader (a spreadsheet, `csv.DictReader`)
 * takes every report type the same way, whatever its shape: see docs/decisions.md, "Reports".
 */

export type CsvValue = string | number | boolean | null | undefined;

export const CSV_HEADER = ['section', 'key', 'metric', 'value'] as const;

/** Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. Text that a spreadsheet would run as a formula is prefixed with `'`; numbers are written as they are
 * (a negative balance stays a number).
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, each line ended by CRLF. */
export function csvText(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

type Json = string | number | boolean | null | undefined | Json[] | { [name: string]: Json };

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(value: Record<string, Json>, section: string, key: string, rows: CsvValue[][]): void {
  for (const [name, field] of Object.entries(value)) {
    if (Array.isArray(field)) {
      const listSection = section === 'report' ? name : `${section}.${name}`;
      field.forEach((element, index) => {
        if (isRecord(element)) {
          // The first field of a list element names its row (`sku`, `code`); the rest become its metrics.
          const [idName, id] = Object.entries(element)[0] ?? ['', index];
          const rest = Object.fromEntries(Object.entries(element).filter(([n]) => n !== idName));
          walk(rest, listSection, String(id), rows);
        } else {
          rows.push([listSection, String(index), name, element as CsvValue]);
        }
      });
    } else if (isRecord(field)) {
      walk(field, section === 'report' ? name : `${section}.${name}`, key, rows);
    } else {
      rows.push([section, key, name, field]);
    }
  }
}

/**
 * A report body as the `section,key,metric,value` table: top-level figures under `report`; a nested object under
 * its field name (`arAgingCents,,1-30,1500`); each element of a list under the list's name, keyed by the element's
 * first field (`topSkus,WIDGET-1,quantity,5`). Rows keep the body's order, so a ranked list stays ranked.
 */
export function reportCsv(report: object): string {
  const rows: CsvValue[][] = [[...CSV_HEADER]];
  walk(report as Record<string, Json>, 'report', '', rows);
  return csvText(rows);
}
