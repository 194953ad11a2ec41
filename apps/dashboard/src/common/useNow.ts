import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`: relative times ("5 min ago") keep moving on an idle screen. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
