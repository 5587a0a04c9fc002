import { useCallback, useState, type FormEvent } from 'react';

export interface SubmitState {
  /** True while an action runs (disable the submit button, show 「保存中…」). */
  busy: boolean;
  /** What the last action threw (pass it to <ProblemAlert>); cleared when the next one starts. */
  error: unknown;
  /** Runs `action` with `busy` set and the previous error cleared; whatever it throws is kept in `error`. */
  run: (action: () => Promise<unknown>) => Promise<void>;
  /**
   * A `<form onSubmit>` handler: prevents the page load, then `run(action)`.
   * `check` runs first; when it returns false nothing is sent (for checks the browser cannot make).
   */
  onSubmit: (action: () => Promise<unknown>, check?: () => boolean) => (e: FormEvent<HTMLFormElement>) => void;
  /**
   * The same as a handler called with the event: `<form onSubmit={(e) => submit(e, action)}>`. For an
   * action or check that reads a ref (focus, a file input): `onSubmit(action)` is called while
   * rendering, and React's rules cannot tell that it does not call `action` then.
   */
  submit: (e: FormEvent<HTMLFormElement>, action: () => Promise<unknown>, check?: () => boolean) => void;
}

/**
 * The busy / error state every form (or button) that writes to the API needs.
 *
 * ```tsx
 * const { busy, error, onSubmit } = useSubmit();
 * <form onSubmit={onSubmit(async () => onSaved(await api.updateX(form)))}>
 *   <ProblemAlert error={error} />
 * ```
 */
export function useSubmit(): SubmitState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, []);

  const submit = useCallback(
    (e: FormEvent<HTMLFormElement>, action: () => Promise<unknown>, check?: () => boolean) => {
      e.preventDefault();
      if (check && !check()) return;
      void run(action);
    },
    [run],
  );

  const onSubmit = useCallback(
    (action: () => Promise<unknown>, check?: () => boolean) => (e: FormEvent<HTMLFormElement>) => submit(e, action, check),
    [submit],
  );

  return { busy, error, run, onSubmit, submit };
}
