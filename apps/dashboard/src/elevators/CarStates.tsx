import { createContext, useContext, useState, type ReactNode } from 'react';
import { useLiveMessages } from '../live/LiveContext';
import type { ElevatorPush } from '../live/messages';

export type CarSnapshot = ElevatorPush & { receivedAt: number };

const CarStatesContext = createContext<ReadonlyMap<string, CarSnapshot>>(new Map());

/**
 * The latest car state of every elevator the user looks after, from the live `elevator` pushes
 * (sent on every state message and as a snapshot after each (re)connection): no polling needed.
 */
export function CarStatesProvider({ children }: { children: ReactNode }) {
  const [cars, setCars] = useState<ReadonlyMap<string, CarSnapshot>>(new Map());
  useLiveMessages((m) => {
    if (m.type !== 'elevator') return;
    setCars((prev) => {
      const next = new Map(prev);
      next.set(m.elevatorId, { ...m, receivedAt: Date.now() });
      return next;
    });
  });
  return <CarStatesContext.Provider value={cars}>{children}</CarStatesContext.Provider>;
}

export function useCarStates(): ReadonlyMap<string, CarSnapshot> {
  return useContext(CarStatesContext);
}
