import { api, ProblemError, type Problem } from '../../../api/api';
import type { CsvImportReport } from '../../../api/shelterTypes';

/**
 * POST /api/municipalities/:code/shelters/import?dryRun=… with the CSV as `text/csv` (the API's
 * sendJson only sends JSON). The CSRF token is read from the session, which also refreshes the
 * token the rest of the client uses. Throws a ProblemError like sendJson (422 csv-invalid lists
 * the row errors in `errors`).
 */
export async function importSheltersCsv(code: string, csv: string, dryRun: boolean): Promise<CsvImportReport> {
  const { csrfToken } = await api.session();
  let res: Response;
  try {
    res = await fetch(`/api/municipalities/${encodeURIComponent(code)}/shelters/import?dryRun=${dryRun}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': 'text/csv; charset=utf-8',
        'x-csrf-token': csrfToken,
      },
      body: csv,
    });
  } catch {
    throw new ProblemError(0, { title: 'Network error', code: 'network-error' });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    throw new ProblemError(res.status, json && typeof json === 'object' ? (json as Problem) : { title: res.statusText });
  }
  return json as CsvImportReport;
}

export interface CsvRowError {
  row: number | null;
  column: string;
  message: string;
}

/** The server writes each row error's message as 「日本語 / English」: the part in the UI language. */
function messageIn(message: string, lang: 'ja' | 'en'): string {
  const i = message.indexOf(' / ');
  if (i < 0) return message;
  return lang === 'en' ? message.slice(i + 3) : message.slice(0, i);
}

/** The problem's field errors are `row 3: 緯度`; split them for the table (anything else goes in the column cell). */
export function rowErrorsOfProblem(e: ProblemError, lang: 'ja' | 'en'): CsvRowError[] {
  return e.fieldErrors.map((f) => {
    const m = /^row\s+(\d+)\s*:\s*(.*)$/i.exec(f.path);
    const message = messageIn(f.message, lang);
    return m ? { row: Number(m[1]), column: m[2] ?? '', message } : { row: null, column: f.path, message };
  });
}

export function rowErrorsOfReport(report: CsvImportReport, lang: 'ja' | 'en'): CsvRowError[] {
  return report.errors.map((e) => ({ row: e.row, column: e.column, message: e.message[lang] || e.message.ja }));
}
