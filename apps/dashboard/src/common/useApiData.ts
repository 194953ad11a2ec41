import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiData<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reload in the background: the current data stays on screen meanwhile (no flicker on live refreshes). */
  reload(): void;
}

/**
 * Loads data for a page and reloads it on demand (live events, actions). Answers to superseded
 * requests are dropped, so a slow old answer never overwrites a newer one.
 */
export function useApiData<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): ApiData<T> {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const gen = ++generation.current;
    const ctrl = new AbortController();
    setLoading(true);
    loadRef.current(ctrl.signal).then(
      (v) => {
        if (gen !== generation.current) return;
        setData(v);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (gen !== generation.current || ctrl.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
    // The caller lists what the load depends on (like a hook dependency list); `tick` forces a reload.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Reload at most once per `ms` however many live events arrive (a storm must not flood the API). */
export function useThrottledCallback(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      fnRef.current();
    }, ms);
  }, [ms]);
}

/**
 * `key`, `ms` after it last changed: a live push (a new alert, a device seen) may arrive before the
 * engine's telemetry store has written the message behind it (it flushes every second), so history
 * is re-read a little after the news rather than at once.
 */
export function useSettledKey<K>(key: K, ms = 1500): K {
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
