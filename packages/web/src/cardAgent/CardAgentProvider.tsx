import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { CardAgentClient } from './client';
import { CardAgentError } from './errors';
import type { AgentReader, AuthenticateResult, BasicFour, IdentifyResult } from './protocol';
import { AGENT_URL_PARAMS, agentUrl, applyAgentUrlParams, loadAgentSettings, saveAgentSettings, type CardAgentSettings } from './settings';

/**
 * Where the kiosk stands with the card agent:
 * - `not-configured`: no pairing token yet (open the page once with `?agentPort=&agentToken=`, or use the settings form)
 * - `connecting`: connecting / pairing
 * - `no-agent`: the agent does not answer (not started, wrong port); retried every few seconds
 * - `unpaired`: the agent refused the token or this page's origin (fix the settings)
 * - `no-reader`: the agent runs but sees no card reader
 * - `no-card`: ready; no card on the reader
 * - `card-present`: a card is on the reader used
 */
export type CardAgentStatus = 'not-configured' | 'connecting' | 'no-agent' | 'unpaired' | 'no-reader' | 'no-card' | 'card-present';

export interface CardAgentValue {
  status: CardAgentStatus;
  readers: AgentReader[];
  /** The reader operations use (see {@link CardAgentSettings.reader}). */
  reader: string | undefined;
  settings: CardAgentSettings;
  /** Stores new settings and reconnects. */
  updateSettings: (s: CardAgentSettings) => void;
  /** Reconnects now (after `unpaired` or `no-agent`). */
  reconnect: () => void;
  /**
   * Changes whenever a card is put on or taken off the reader used: a component that holds
   * per-card state (tries left, a read result) resets when it changes.
   */
  cardGeneration: number;
  identify: () => Promise<IdentifyResult>;
  authenticate: (args: { challenge: string; pin: string; allowLastTry?: boolean }) => Promise<AuthenticateResult>;
  readBasicFour: (args: { pin: string; allowLastTry?: boolean }) => Promise<BasicFour>;
}

const CardAgentContext = createContext<CardAgentValue | null>(null);

const RETRY_MS = 3000;

function pickReader(readers: AgentReader[], preferred: string | undefined, lastInserted: string | undefined): string | undefined {
  if (preferred) return preferred;
  if (lastInserted && readers.some((r) => r.name === lastInserted && r.cardPresent)) return lastInserted;
  return (readers.find((r) => r.cardPresent) ?? readers[0])?.name;
}

/**
 * Holds the page's one connection to the card agent (packages/card-agent) and shares it with
 * {@link useCardAgent}, `<CardTouch>` and `<BasicFourRead>` below it. Reads `?agentPort=&agentToken=`
 * (`&agentReader=`) from the address once, stores them (localStorage `kazashi.cardAgent`) and
 * removes them from the address. Reconnects by itself when the agent goes away.
 *
 * @example
 * ```tsx
 * <CardAgentProvider>
 *   <CardTouch getChallenge={...} onAuthenticated={...} />
 * </CardAgentProvider>
 * ```
 */
export function CardAgentProvider({ children }: { children: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const [settings, setSettings] = useState<CardAgentSettings>(() => applyAgentUrlParams(params) ?? loadAgentSettings());
  const [readers, setReaders] = useState<AgentReader[]>([]);
  const [lastInserted, setLastInserted] = useState<string | undefined>(undefined);
  const [cardGeneration, setCardGeneration] = useState(0);
  const [attempt, setAttempt] = useState(0);
  // What the connection for these settings and this attempt has reported; a newer connection starts
  // as `connecting` until it reports (so the status is never left over from the previous one).
  const [reported, setReported] = useState<{ settings: CardAgentSettings; attempt: number; status: CardAgentStatus } | null>(null);
  const status: CardAgentStatus = !settings.token
    ? 'not-configured'
    : reported && reported.settings === settings && reported.attempt === attempt
      ? reported.status
      : 'connecting';
  const clientRef = useRef<CardAgentClient | null>(null);

  // The token must not stay in the address bar (history, bookmarks, screenshots).
  useEffect(() => {
    if (AGENT_URL_PARAMS.some((k) => params.has(k))) {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const k of AGENT_URL_PARAMS) next.delete(k);
          return next;
        },
        { replace: true },
      );
    }
  }, [params, setParams]);

  useEffect(() => {
    if (!settings.token) return;
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const setStatus = (next: CardAgentStatus) => setReported({ settings, attempt, status: next });
    const client = new CardAgentClient({
      url: agentUrl(settings),
      token: settings.token,
      onEvent: (event, reader) => {
        if (disposed) return;
        setReaders((prev) => {
          switch (event) {
            case 'reader-attached':
              return prev.some((r) => r.name === reader) ? prev : [...prev, { name: reader, cardPresent: false }];
            case 'reader-detached':
              return prev.filter((r) => r.name !== reader);
            case 'card-inserted':
            case 'card-removed': {
              const present = event === 'card-inserted';
              const known = prev.some((r) => r.name === reader);
              return known ? prev.map((r) => (r.name === reader ? { ...r, cardPresent: present } : r)) : [...prev, { name: reader, cardPresent: present }];
            }
          }
        });
        if (event === 'card-inserted') setLastInserted(reader);
        if (event === 'card-inserted' || event === 'card-removed') setCardGeneration((n) => n + 1);
      },
      onClose: (reason) => {
        if (disposed) return;
        clientRef.current = null;
        setReaders([]);
        if (reason === 'unpaired') {
          setStatus('unpaired');
        } else {
          setStatus('no-agent');
          retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
        }
      },
    });
    clientRef.current = client;
    client.connect().then(
      (list) => {
        if (disposed) return;
        setReaders(list);
        setStatus('no-card'); // refined from the readers below
      },
      () => {
        // onClose sets the status and schedules the retry
      },
    );
    return () => {
      disposed = true;
      clearTimeout(retry);
      client.close();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [settings, attempt]);

  const reader = pickReader(readers, settings.reader, lastInserted);
  const connected = status !== 'not-configured' && status !== 'connecting' && status !== 'no-agent' && status !== 'unpaired';
  const effective: CardAgentStatus = !connected
    ? status
    : readers.length === 0
      ? 'no-reader'
      : readers.some((r) => r.name === reader && r.cardPresent)
        ? 'card-present'
        : 'no-card';

  const withClient = useCallback(<T,>(fn: (c: CardAgentClient) => Promise<T>): Promise<T> => {
    const c = clientRef.current;
    return c ? fn(c) : Promise.reject(CardAgentError.local('agent-unavailable'));
  }, []);

  const updateSettings = useCallback((s: CardAgentSettings) => {
    saveAgentSettings(s);
    setSettings({ ...s });
  }, []);
  const reconnect = useCallback(() => setAttempt((n) => n + 1), []);

  const value = useMemo<CardAgentValue>(
    () => ({
      status: effective,
      readers,
      reader,
      settings,
      updateSettings,
      reconnect,
      cardGeneration,
      identify: () => withClient((c) => c.identify({ reader })),
      authenticate: (args) => withClient((c) => c.authenticate({ reader, ...args })),
      readBasicFour: (args) => withClient((c) => c.readBasicFour({ reader, ...args })),
    }),
    [effective, readers, reader, settings, updateSettings, reconnect, cardGeneration, withClient],
  );

  return <CardAgentContext.Provider value={value}>{children}</CardAgentContext.Provider>;
}

/**
 * The card agent connection of the surrounding {@link CardAgentProvider}: its status, readers,
 * settings and the card operations (bound to the reader in use).
 *
 * @example
 * ```tsx
 * const agent = useCardAgent();
 * if (agent.status === 'card-present') await agent.authenticate({ challenge, pin });
 * ```
 */
export function useCardAgent(): CardAgentValue {
  const v = useContext(CardAgentContext);
  if (!v) throw new Error('useCardAgent must be used inside <CardAgentProvider>');
  return v;
}
