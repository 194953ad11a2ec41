import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import type { RiskColour } from '@hearthbeat/contracts';
import { useSession } from '../auth/AuthContext';
import { elevatorSchema, residentSchema, siteSchema, type AlertView, type ElevatorView, type ResidentView, type SiteView } from '../api/schemas';
import { useLiveMessages, useStreamEvents } from '../live/LiveContext';
import { useThrottledCallback } from '../common/useApiData';

export type Owner = { type: 'resident'; resident: ResidentView } | { type: 'elevator'; elevator: ElevatorView };

interface DirectoryValue {
  sites: Map<string, SiteView>;
  residents: ResidentView[];
  elevators: ElevatorView[];
  loaded: boolean;
  error: unknown;
  resident(id: string): ResidentView | undefined;
  elevator(id: string): ElevatorView | undefined;
  /** The resident or elevator an alert is about (a device alert belongs to the device's owner). */
  ownerOf(alert: Pick<AlertView, 'subject' | 'deviceId'>): Owner | undefined;
  colourOf(alert: Pick<AlertView, 'subject' | 'deviceId'>): RiskColour | undefined;
  zoneOf(site: string): string | undefined;
  reload(): void;
}

const DirectoryContext = createContext<DirectoryValue | undefined>(undefined);

/**
 * The residents and elevators the user looks after, with their live risk colour: names for alert
 * cards, colours for sorting, and the residents list itself. Colours follow `risk` pushes at once;
 * counts that depend on alerts and absences are re-read (at most every 5 s) when those change.
 */
export function DirectoryProvider({ children }: { children: ReactNode }) {
  const { api, kinds } = useSession();
  const [sites, setSites] = useState(new Map<string, SiteView>());
  const [residents, setResidents] = useState<ResidentView[]>([]);
  const [elevators, setElevators] = useState<ElevatorView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>();

  const load = useCallback(async () => {
    try {
      const [s, r, e] = await Promise.all([
        api.get('/api/sites', z.array(siteSchema)),
        kinds.includes('resident') ? api.get('/api/residents', z.array(residentSchema)) : Promise.resolve([]),
        kinds.includes('elevator') ? api.get('/api/elevators', z.array(elevatorSchema)) : Promise.resolve([]),
      ]);
      setSites(new Map(s.map((x) => [x.id, x])));
      setResidents(r);
      setElevators(e);
      setError(undefined);
      setLoaded(true);
    } catch (err) {
      setError(err);
      setLoaded(true);
    }
  }, [api, kinds]);

  useEffect(() => {
    void load();
  }, [load]);

  // Counts only (colours come with `risk` pushes): every 5 s at most, however many alerts arrive.
  const reloadSoon = useThrottledCallback(() => void load(), 5000);
  useStreamEvents(() => reloadSoon());
  useLiveMessages((m) => {
    if (m.type === 'risk') {
      if (m.subject.type === 'resident') setResidents((list) => list.map((r) => (r.id === m.subject.id ? { ...r, risk: m.colour } : r)));
      if (m.subject.type === 'elevator') setElevators((list) => list.map((e) => (e.id === m.subject.id ? { ...e, risk: m.colour } : e)));
    } else if (m.type === 'elevator') {
      setElevators((list) => list.map((e) => (e.id === m.elevatorId && e.online !== m.online ? { ...e, online: m.online } : e)));
    } else if (m.type === 'alert' || m.type === 'away' || m.type === 'welcome_back') {
      reloadSoon();
    }
  });

  const value = useMemo<DirectoryValue>(() => {
    const rById = new Map(residents.map((r) => [r.id, r]));
    const eById = new Map(elevators.map((e) => [e.id, e]));
    const byDevice = new Map<string, Owner>();
    for (const r of residents) for (const d of r.devices) byDevice.set(d, { type: 'resident', resident: r });
    for (const e of elevators) byDevice.set(e.device, { type: 'elevator', elevator: e });
    const ownerOf = (a: Pick<AlertView, 'subject' | 'deviceId'>): Owner | undefined => {
      if (a.subject.type === 'resident') {
        const r = rById.get(a.subject.id);
        return r ? { type: 'resident', resident: r } : undefined;
      }
      if (a.subject.type === 'elevator') {
        const e = eById.get(a.subject.id);
        return e ? { type: 'elevator', elevator: e } : undefined;
      }
      return byDevice.get(a.subject.id) ?? (a.deviceId ? byDevice.get(a.deviceId) : undefined);
    };
    return {
      sites,
      residents,
      elevators,
      loaded,
      error,
      resident: (id) => rById.get(id),
      elevator: (id) => eById.get(id),
      ownerOf,
      colourOf: (a) => {
        const o = ownerOf(a);
        return o?.type === 'resident' ? o.resident.risk : o?.elevator.risk;
      },
      zoneOf: (site) => sites.get(site)?.timezone,
      reload: () => void load(),
    };
  }, [sites, residents, elevators, loaded, error, load]);

  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export function useDirectory(): DirectoryValue {
  const v = useContext(DirectoryContext);
  if (!v) throw new Error('useDirectory outside DirectoryProvider');
  return v;
}
