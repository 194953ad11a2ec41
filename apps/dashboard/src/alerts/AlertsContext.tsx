import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { useSession } from '../auth/AuthContext';
import { alertSchema, type AlertView, type TimelineEntryView } from '../api/schemas';
import type { ApiClient } from '../api/client';
import { useLive, useLiveMessages, useStreamEvents } from '../live/LiveContext';
import type { AlertPush } from '../live/messages';
import { alarmSound, type AlarmSound } from './alarmSound';
import { AlertStore } from './alertStore';

interface AlertsValue {
  /** Changes whenever any alert changes. */
  revision: number;
  alerts: AlertView[];
  get(id: string): AlertView | undefined;
  loaded: boolean;
  error: unknown;
  /** Critical alerts opened (or re-opened, or reminded) while this screen was open, still unacknowledged. */
  freshCritical: AlertView[];
  dismissFresh(): void;
  /** Resolved alerts for the "resolved" tab (loaded on demand). */
  loadResolved(): Promise<void>;
  /** Applies an action's answer at once; the push that follows confirms it. */
  /** The answer to this screen's own action: `entry` is the last of its timeline (older changes then lose). */
  applyLocal(a: AlertView, entry?: TimelineEntryView): void;
  sound: AlarmSound;
  /** Live changes to one alert (the detail drawer re-reads its timeline). */
  onAlertPush(fn: (p: AlertPush) => void): () => void;
}

const AlertsContext = createContext<AlertsValue | undefined>(undefined);

const PAGE = 500;
/** A screen never holds more than this many unresolved alerts from the snapshot (a storm beyond it is still counted live). */
const MAX_PAGES = 10;
const RESOLVED_DAYS = 7;
/** Changes that call for attention again: a new alert, a re-opened one, a reminder that nobody acknowledged. */
const ATTENTION = new Set(['opened', 'reopened', 'reminder']);

async function loadUnresolved(api: ApiClient): Promise<AlertView[]> {
  const out: AlertView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ state: 'unresolved', limit: String(PAGE) });
    if (cursor) q.set('cursor', cursor);
    const res = await api.send('GET', `/api/alerts?${q.toString()}`);
    const items = z.array(alertSchema).safeParse(await res.json());
    if (!items.success) throw new Error(`unexpected answer from /api/alerts: ${items.error.issues[0]?.message ?? ''}`);
    out.push(...items.data);
    cursor = res.headers.get('x-next-cursor') ?? undefined;
    if (!cursor) break;
  }
  return out;
}

/**
 * The alert feed of the whole app: a REST snapshot of the unresolved alerts, kept current by live
 * pushes, so that the board, the counts in the navigation and the alarm work on every page.
 */
export function AlertsProvider({ children }: { children: ReactNode }) {
  const { api } = useSession();
  const store = useRef(new AlertStore()).current;
  const sound = alarmSound;
  const [revision, setRevision] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>();
  const [freshIds, setFreshIds] = useState<string[]>([]);
  const pushListeners = useRef(new Set<(p: AlertPush) => void>());

  const bump = useCallback(() => setRevision(store.revision), [store]);

  const loadOnce = useCallback(async () => {
    store.beginLoad();
    try {
      const list = await loadUnresolved(api);
      store.endLoad(list, (a) => a.state !== 'resolved');
      setError(undefined);
    } catch (err) {
      store.abortLoad();
      setError(err);
    }
    setLoaded(true);
    bump();
  }, [api, store, bump]);

  // Loads never overlap: a second request while one runs queues exactly one more, which starts (and
  // holds pushes) after the first has finished, so no snapshot is ever applied over newer pushes.
  const running = useRef<Promise<void> | undefined>(undefined);
  const again = useRef(false);
  const reload = useCallback((): Promise<void> => {
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const run = async () => {
      do {
        again.current = false;
        await loadOnce();
      } while (again.current);
    };
    running.current = run().finally(() => {
      running.current = undefined;
    });
    return running.current;
  }, [loadOnce]);

  // Reload on a fresh stream or a reset (the snapshot must follow the stream's start, so that nothing
  // falls between them); a resumed stream has replayed everything missed.
  useStreamEvents((e) => {
    if (e !== 'resumed') void reload();
  });
  // Show something at once even if the live connection cannot be made (a proxy without WebSockets).
  useEffect(() => {
    void reload();
  }, [reload]);
  // While the live connection is down the board is re-read every 30 s, so it never freezes for long;
  // the replay after reconnection applies the missed changes in order on top.
  const { state: liveState } = useLive();
  const down = liveState.status === 'reconnecting';
  useEffect(() => {
    if (!down) return;
    const id = setInterval(() => void reload(), 30_000);
    return () => clearInterval(id);
  }, [down, reload]);
  // Keep a screen left open for days small.
  useEffect(() => {
    const id = setInterval(() => {
      store.prune(Date.now() - RESOLVED_DAYS * 86_400_000);
      bump();
    }, 3_600_000);
    return () => clearInterval(id);
  }, [store, bump]);

  useLiveMessages((m) => {
    if (m.type !== 'alert') return;
    store.push(m);
    for (const l of pushListeners.current) l(m);
    if (m.alert.severity === 'critical' && m.alert.state === 'open' && ATTENTION.has(m.change)) {
      setFreshIds((ids) => (ids.includes(m.alert.id) ? ids : [...ids, m.alert.id]));
      sound.play();
    }
    bump();
  });

  const loadResolved = useCallback(async () => {
    const q = new URLSearchParams({ state: 'resolved', since: String(Date.now() - RESOLVED_DAYS * 86_400_000), limit: '200' });
    store.merge(await api.get(`/api/alerts?${q.toString()}`, z.array(alertSchema)));
    bump();
  }, [api, store, bump]);

  const applyLocal = useCallback(
    (a: AlertView, entry?: TimelineEntryView) => {
      store.push({ type: 'alert', seq: 0, change: 'updated', at: Date.now(), alert: a, ...(entry ? { entry } : {}) });
      bump();
    },
    [store, bump],
  );

  const onAlertPush = useCallback((fn: (p: AlertPush) => void) => {
    pushListeners.current.add(fn);
    return () => void pushListeners.current.delete(fn);
  }, []);

  const value = useMemo<AlertsValue>(() => {
    const alerts = store.all();
    const freshCritical = freshIds.map((id) => store.get(id)).filter((a): a is AlertView => a?.state === 'open');
    return {
      revision,
      alerts,
      get: (id) => store.get(id),
      loaded,
      error,
      freshCritical,
      dismissFresh: () => setFreshIds([]),
      loadResolved,
      applyLocal,
      sound,
      onAlertPush,
    };
    // `revision` stands for the store's content.
  }, [revision, store, freshIds, loaded, error, loadResolved, applyLocal, sound, onAlertPush]);

  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

export function useAlerts(): AlertsValue {
  const v = useContext(AlertsContext);
  if (!v) throw new Error('useAlerts outside AlertsProvider');
  return v;
}
