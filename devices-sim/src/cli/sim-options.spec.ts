import { UsageError } from '../scenarios/scenario-spec.parser';
import { runWindow } from './run-window';
import { parseSimOptions } from './sim-options';

describe('command line', () => {
  it('has offline defaults and a fixed start date', () => {
    const o = parseSimOptions(['--out', 'x']);
    expect(o).toMatchObject({ mode: 'offline', residents: 10, elevators: 2, days: 1, seed: '1', intervalS: 900, batch: 1, heartbeatS: 3600 });
    expect(o.site).toEqual({ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' });
    const w = runWindow(o, () => {
      throw new Error('no clock offline');
    });
    expect(new Date(w.start).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(w.end - w.start).toBe(24 * 3600_000);
  });

  it('runs live without --out, starting now, planning over the simulated duration', () => {
    const o = parseSimOptions(['--speed', '60', '--duration', '2h', '--residents', '5', '--scenario', 'fall:R-0001@2026-11-02T08:00/6h', '--kill-on-exit']);
    expect(o).toMatchObject({ mode: 'live', speed: 60, durationMs: 7_200_000, killOnExit: true, url: 'mqtt://127.0.0.1:1883', concurrency: 200 });
    expect(o.scenarios).toHaveLength(1);
    const w = runWindow(o, () => 1_000_000);
    expect(w).toEqual({ start: 1_000_000, end: 1_000_000 + 5 * 24 * 3600_000 });
  });

  it('refuses bad values and live-only options offline', () => {
    expect(() => parseSimOptions(['--out', 'x', '--residents', '-1'])).toThrow(/--residents/);
    expect(() => parseSimOptions(['--out', 'x', '--batch', '2.5'])).toThrow(/--batch/);
    expect(() => parseSimOptions(['--out', 'x', '--speed', '5'])).toThrow(/live mode/);
    expect(() => parseSimOptions(['--timezone', 'Mars/Olympus'])).toThrow(/IANA/);
    expect(() => parseSimOptions(['--bogus'])).toThrow(UsageError);
    expect(() => runWindow(parseSimOptions(['--out', 'x', '--start', '2026-13-01']), Date.now)).toThrow(/--start/);
  });
});
