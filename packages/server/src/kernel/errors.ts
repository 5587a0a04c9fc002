/**
 * One error model from domain to HTTP. Each domain declares its problems once (stable code, status,
 * Japanese and English text) with `defineProblems`; `http/problem.ts` maps any KazashiError to
 * RFC 9457 problem+json. Placeholders like `{until}` are filled from the error's params.
 */
export interface ProblemSpec {
  status: number;
  ja: string;
  en: string;
}

const registry = new Map<string, ProblemSpec>();

export const PROBLEM_BASE = 'https://kazashi.jp/problems/';

export interface FieldError {
  path: string;
  message: string;
}

export class KazashiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Record<string, string | number>;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Machine-readable facts a client acts on (e.g. the stay to offer a transfer from). */
  readonly details?: Record<string, string | number | boolean | null>;

  constructor(
    code: string,
    params: Record<string, string | number> = {},
    extra: { errors?: FieldError[]; headers?: Record<string, string>; details?: Record<string, string | number | boolean | null>; cause?: unknown } = {},
  ) {
    const spec = registry.get(code);
    if (!spec) throw new Error(`undeclared problem code: ${code}`);
    super(fill(spec.en, params), { cause: extra.cause });
    this.name = 'KazashiError';
    this.code = code;
    this.status = spec.status;
    this.params = params;
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.details = extra.details;
  }

  messages(): { ja: string; en: string } {
    const spec = registry.get(this.code)!;
    return { ja: fill(spec.ja, this.params), en: fill(spec.en, this.params) };
  }
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

type Factories<T> = {
  [K in keyof T]: (params?: Record<string, string | number>, extra?: ConstructorParameters<typeof KazashiError>[2]) => KazashiError;
};

/** Declares a domain's problems; returns one factory per code, e.g. `StaffErrors['account-locked']({ until })`. */
export function defineProblems<const T extends Record<string, ProblemSpec>>(specs: T): Factories<T> {
  const out: Record<string, unknown> = {};
  for (const [code, spec] of Object.entries(specs)) {
    const existing = registry.get(code);
    if (existing && existing !== spec) throw new Error(`problem code declared twice: ${code}`);
    registry.set(code, spec);
    out[code] = (params?: Record<string, string | number>, extra?: ConstructorParameters<typeof KazashiError>[2]) =>
      new KazashiError(code, params, extra);
  }
  return out as Factories<T>;
}

export function problemSpec(code: string): ProblemSpec | undefined {
  return registry.get(code);
}

export function allProblemCodes(): string[] {
  return [...registry.keys()].sort();
}

/** Problems that belong to the HTTP layer itself rather than to a domain. */
export const HttpErrors = defineProblems({
  'validation-failed': { status: 400, ja: '入力内容に誤りがあります。', en: 'The request is not valid.' },
  'malformed-json': { status: 400, ja: 'JSON の形式が正しくありません。', en: 'The request body is not valid JSON.' },
  'payload-too-large': { status: 413, ja: '送信データが大きすぎます（上限 {limit} バイト）。', en: 'The request body is too large (limit {limit} bytes).' },
  'unsupported-media-type': { status: 415, ja: 'このデータ形式には対応していません。JSON で送信してください。', en: 'Unsupported content type; send JSON.' },
  'not-found': { status: 404, ja: '指定されたものが見つかりません。', en: 'Not found.' },
  'method-not-allowed': { status: 405, ja: 'この操作はできません。', en: 'Method not allowed.' },
  'rate-limited': { status: 429, ja: '試行回数が多すぎます。しばらく待ってから再度お試しください。', en: 'Too many attempts. Please wait and try again.' },
  unauthenticated: { status: 401, ja: 'ログインが必要です。', en: 'You need to log in.' },
  'session-expired': { status: 401, ja: 'セッションの有効期限が切れました。もう一度ログインしてください。', en: 'Your session has expired. Please log in again.' },
  'csrf-failed': { status: 403, ja: '不正なリクエストです。画面を再読み込みしてください。', en: 'Request rejected (CSRF token missing or wrong). Reload the page.' },
  forbidden: { status: 403, ja: 'この操作を行う権限がありません。', en: 'You do not have permission for this action.' },
  'service-unavailable': { status: 503, ja: 'ただいま利用できません。しばらくしてから再度お試しください。', en: 'Temporarily unavailable. Please try again later.' },
  'database-unavailable': {
    status: 503,
    ja: 'ただいまデータベースに接続できません。数秒後に同じ操作をもう一度お試しください。',
    en: 'The database cannot be reached right now. Please repeat the same request in a few seconds.',
  },
  internal: { status: 500, ja: 'システムエラーが発生しました。', en: 'An internal error occurred.' },
});
