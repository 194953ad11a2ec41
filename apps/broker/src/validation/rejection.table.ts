import type { Rejection, RejectionReason } from '@hearthbeat/contracts';

/** One row of "rejected messages by reason" (protocol.md, "Bad input": counted per device and reason). */
export interface RejectionEntry {
  deviceId: string;
  reason: RejectionReason;
  count: number;
  /** The human-readable message of the latest rejection, naming field and value. */
  lastMessage: string;
  /** Epoch ms of the latest rejection (broker clock). */
  lastAt: number;
}

/**
 * In-memory table of payload rejections per (device, reason). Only registry devices get rows, so its
 * size is bounded by the fleet times the ten reasons; metrics carry the totals without the device label.
 */
export class RejectionTable {
  private readonly rows = new Map<string, RejectionEntry>();

  record(deviceId: string, rejection: Rejection, at: number): RejectionEntry {
    const key = `${deviceId}\u0000${rejection.reason}`;
    const row = this.rows.get(key);
    if (row) {
      row.count++;
      row.lastMessage = rejection.message;
      row.lastAt = at;
      return row;
    }
    const created: RejectionEntry = { deviceId, reason: rejection.reason, count: 1, lastMessage: rejection.message, lastAt: at };
    this.rows.set(key, created);
    return created;
  }

  /** Copies of the rows, by device then reason; filtered to one device when given. */
  list(deviceId?: string): RejectionEntry[] {
    return [...this.rows.values()]
      .filter((r) => deviceId === undefined || r.deviceId === deviceId)
      .map((r) => ({ ...r }))
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.reason.localeCompare(b.reason));
  }

  clear(): void {
    this.rows.clear();
  }
}
