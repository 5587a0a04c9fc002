import { DEFAULT_AGENT_PORT } from './protocol';

/** Where the page finds the card agent. Kept in localStorage under {@link SETTINGS_KEY}. */
export interface CardAgentSettings {
  port: number;
  /** The pairing token the agent was started with; empty when not set up yet. */
  token: string;
  /** Reader to use; undefined: the one where a card was put most recently (or the only one with a card). */
  reader?: string;
}

export const SETTINGS_KEY = 'kazashi.cardAgent';

const isPort = (n: number) => Number.isInteger(n) && n > 0 && n < 65536;

/** The stored settings (defaults when none or unreadable). */
export function loadAgentSettings(): CardAgentSettings {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    if (raw) {
      const v = JSON.parse(raw) as Partial<CardAgentSettings>;
      const port = Number(v.port);
      return {
        port: isPort(port) ? port : DEFAULT_AGENT_PORT,
        token: typeof v.token === 'string' ? v.token : '',
        ...(typeof v.reader === 'string' && v.reader ? { reader: v.reader } : {}),
      };
    }
  } catch {
    // storage unavailable or junk: defaults
  }
  return { port: DEFAULT_AGENT_PORT, token: '' };
}

export function saveAgentSettings(s: CardAgentSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
  } catch {
    // private mode: the settings last as long as the page
  }
}

/** The query parameters that carry agent settings: `?agentPort=&agentToken=&agentReader=`. */
export const AGENT_URL_PARAMS = ['agentPort', 'agentToken', 'agentReader'] as const;

/**
 * Applies `?agentPort=&agentToken=` (and optionally `&agentReader=`, empty for automatic) to the
 * stored settings and stores the result. Returns undefined when the address carries none of them.
 * The caller then removes them from the address (so the token is not bookmarked or shared).
 */
export function applyAgentUrlParams(params: URLSearchParams): CardAgentSettings | undefined {
  const port = params.get('agentPort');
  const token = params.get('agentToken');
  const reader = params.get('agentReader');
  if (port === null && token === null && reader === null) return undefined;
  const next: CardAgentSettings = { ...loadAgentSettings() };
  if (port !== null && isPort(Number(port))) next.port = Number(port);
  if (token !== null) next.token = token;
  if (reader !== null) {
    if (reader) next.reader = reader;
    else delete next.reader;
  }
  saveAgentSettings(next);
  return next;
}

export function agentUrl(s: CardAgentSettings): string {
  return `ws://127.0.0.1:${s.port}`;
}
