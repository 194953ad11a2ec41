import { z } from 'zod';

/** protocol.md, "Replay files": one received message a line, in `t` order. */
export const messageLogLineSchema = z.object({
  t: z.int().min(0),
  topic: z.string().min(1),
  /** The payload as an object, or as a string to replay bad input byte for byte. */
  payload: z.unknown(),
});
export type MessageLogLine = z.infer<typeof messageLogLineSchema>;

/** Ground truth written by the simulator, one incident a line. */
export const TRUTH_KINDS = [
  'fall',
  'fall_in_shower',
  'away',
  'away_unannounced',
  'hospital',
  'late_rising',
  'tap_running',
  'leak',
  'fire',
  'detector_removed',
  'low_battery',
  'meter_outage',
  'entrapment',
  'door_fault',
  'door_cycling',
  'overspeed',
  'power_cut',
  'alarm_misuse',
  'garbage',
  'test_calls_stopped',
] as const;
export const truthLineSchema = z.object({
  subject: z.string().min(1),
  kind: z.string().min(1),
  start: z.int().min(0),
  end: z.int().min(0),
  deviceId: z.string().optional(),
  note: z.string().optional(),
});
export type TruthLine = z.infer<typeof truthLineSchema>;

/** Splits JSON Lines text and parses each non-empty line with a schema, naming the line of a fault. */
export function parseJsonLines<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T[] } | { ok: false; line: number; message: string } {
  const out: T[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, line: i + 1, message: `line ${i + 1} is not JSON` };
    }
    const r = schema.safeParse(value);
    if (!r.success) return { ok: false, line: i + 1, message: `line ${i + 1}: ${r.error.issues[0]?.message ?? 'invalid'}` };
    out.push(r.data);
  }
  return { ok: true, value: out };
}
