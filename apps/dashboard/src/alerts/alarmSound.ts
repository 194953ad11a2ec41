/**
 * The audible cue for a new critical alert: three short tones made with Web Audio (no sound file to
 * ship or to fail loading). Browsers start an AudioContext suspended until the user interacts with the
 * page, so the first click or key press anywhere unlocks it; until then the toggle says so.
 */
const STORAGE_KEY = 'hb.sound';

type Listener = () => void;

export class AlarmSound {
  private ctx?: AudioContext;
  private enabled: boolean;
  private readonly listeners = new Set<Listener>();
  /** How many alarms were sounded (also shown on the toggle as a data attribute for tests). */
  played = 0;

  constructor() {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(STORAGE_KEY);
    } catch {
      saved = null;
    }
    // On by default: missing a critical alert is worse than an unexpected beep.
    this.enabled = saved !== 'off';
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** True once the browser lets this page play sound. */
  get isUnlocked(): boolean {
    return this.ctx?.state === 'running';
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    try {
      localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // Not remembered; still applies now.
    }
    if (on) this.unlock();
    this.emit();
  }

  /** Call from a user gesture (click, key press). */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    this.ctx ??= new AudioContext();
    if (this.ctx.state === 'suspended') {
      void this.ctx.resume().then(
        () => this.emit(),
        () => undefined,
      );
    } else this.emit();
  }

  /** Installs the one-time unlock on the first interaction with the page. */
  installUnlock(target: Document = document): () => void {
    const onGesture = () => {
      this.unlock();
      if (this.isUnlocked) remove();
    };
    const remove = () => {
      target.removeEventListener('pointerdown', onGesture, true);
      target.removeEventListener('keydown', onGesture, true);
    };
    target.addEventListener('pointerdown', onGesture, true);
    target.addEventListener('keydown', onGesture, true);
    return remove;
  }

  /** Three tones at 880 Hz: urgent but not a siren, audible over a busy office. */
  play(): void {
    this.played++;
    this.emit();
    if (!this.enabled || !this.ctx || this.ctx.state !== 'running') return;
    const ctx = this.ctx;
    const t0 = ctx.currentTime;
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      const start = t0 + i * 0.28;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/**
 * One per page, created at start-up so that the very first click (the login button) already unlocks
 * sound for the session.
 */
export const alarmSound = new AlarmSound();
