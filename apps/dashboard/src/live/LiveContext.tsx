import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { LiveSocket, type LiveState } from './liveSocket';
import type { LiveMessage } from './messages';

/** `fresh`/`reset`: reload from REST; `resumed`: a reconnection caught up through the replay. */
export type StreamEvent = 'fresh' | 'reset' | 'resumed';

interface LiveValue {
  state: LiveState;
  subscribe(fn: (m: LiveMessage) => void): () => void;
  onStream(fn: (e: StreamEvent) => void): () => void;
  reconnectNow(): void;
}

const LiveContext = createContext<LiveValue | undefined>(undefined);

function wsUrl(token: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

/** One WebSocket per signed-in screen, shared by every page through subscriptions. */
export function LiveProvider({ token, children }: { token: string; children: ReactNode }) {
  const { expire } = useAuth();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [state, setState] = useState<LiveState>({ status: 'connecting', attempt: 0 });
  const listeners = useRef(new Set<(m: LiveMessage) => void>());
  const streamListeners = useRef(new Set<(e: StreamEvent) => void>());
  const socketRef = useRef<LiveSocket | undefined>(undefined);
  // Handlers read the latest translations and callbacks without reconnecting the socket.
  const latest = useRef({ t, message, expire });
  latest.current = { t, message, expire };

  useEffect(() => {
    const emitStream = (e: StreamEvent) => {
      for (const l of streamListeners.current) l(e);
    };
    let wasLost = false;
    const socket = new LiveSocket({
      url: wsUrl(token),
      onMessage: (m) => {
        for (const l of listeners.current) l(m);
      },
      onState: (s) => {
        setState(s);
        if (s.status === 'reconnecting') wasLost = true;
        if (s.status === 'unauthorized') latest.current.expire();
      },
      onStart: (kind) => {
        emitStream(kind);
        if (kind === 'reset' && wasLost) {
          wasLost = false;
          void latest.current.message.info(latest.current.t('live.reloaded'));
        }
      },
      onResumed: () => {
        emitStream('resumed');
        if (wasLost) void latest.current.message.success(latest.current.t('live.restored'));
        wasLost = false;
      },
    });
    socketRef.current = socket;
    socket.start();
    // Back online or back in view: try at once rather than waiting out the backoff.
    const retry = () => socket.reconnectNow();
    const onVisible = () => {
      if (document.visibilityState === 'visible') retry();
    };
    window.addEventListener('online', retry);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', retry);
      document.removeEventListener('visibilitychange', onVisible);
      socket.stop();
      socketRef.current = undefined;
    };
  }, [token]);

  const subscribe = useCallback((fn: (m: LiveMessage) => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  const onStream = useCallback((fn: (e: StreamEvent) => void) => {
    streamListeners.current.add(fn);
    return () => void streamListeners.current.delete(fn);
  }, []);
  const reconnectNow = useCallback(() => socketRef.current?.reconnectNow(), []);

  const value = useMemo(() => ({ state, subscribe, onStream, reconnectNow }), [state, subscribe, onStream, reconnectNow]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveValue {
  const v = useContext(LiveContext);
  if (!v) throw new Error('useLive outside LiveProvider');
  return v;
}

/** Calls `fn` for every live message; `fn` may change between renders without resubscribing. */
export function useLiveMessages(fn: (m: LiveMessage) => void): void {
  const { subscribe } = useLive();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => subscribe((m) => ref.current(m)), [subscribe]);
}

/** Calls `fn` when the stream (re)starts or resumes, e.g. to reload a page's data after `reset`. */
export function useStreamEvents(fn: (e: StreamEvent) => void): void {
  const { onStream } = useLive();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => onStream((e) => ref.current(e)), [onStream]);
}
