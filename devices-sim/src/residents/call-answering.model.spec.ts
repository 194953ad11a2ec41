import { ASLEEP, FALLEN, HOSPITAL_MOBILE, MOBILE_SHARE, UNREACHABLE, USUAL_ANSWERED_RANGE, callHabits, incidentOdds, outingOdds, type CallHabits } from './call-answering.model';

const landline: CallHabits = { usual: { answered: 0.9, help: 0 }, mobile: false };
const mobile: CallHabits = { usual: { answered: 0.9, help: 0 }, mobile: true };

describe('call answering model', () => {
  it('draws usual odds in [0.85, 0.97] and a mobile for about 40 %, per resident and seed', () => {
    const habits = Array.from({ length: 2000 }, (_, i) => callHabits('answers', `R-${String(i + 1).padStart(4, '0')}`));
    const answered = habits.map((h) => h.usual.answered);
    expect(Math.min(...answered)).toBeGreaterThanOrEqual(USUAL_ANSWERED_RANGE[0]);
    expect(Math.max(...answered)).toBeLessThanOrEqual(USUAL_ANSWERED_RANGE[1]);
    expect(Math.max(...answered) - Math.min(...answered)).toBeGreaterThan(0.1);
    expect(habits.every((h) => h.usual.help === 0)).toBe(true);
    const share = habits.filter((h) => h.mobile).length / habits.length;
    expect(Math.abs(share - MOBILE_SHARE)).toBeLessThan(0.04);
    expect(callHabits('answers', 'R-0001')).toEqual(callHabits('answers', 'R-0001'));
    const otherSeed = Array.from({ length: 50 }, (_, i) => callHabits('other', `R-${i}`).usual.answered);
    expect(otherSeed).not.toEqual(answered.slice(0, 50));
  });

  it('maps incidents and outings to the odds of the brief', () => {
    expect(incidentOdds('fall', landline)).toEqual({ odds: FALLEN, why: 'fall' });
    expect(incidentOdds('fall_in_shower', mobile)).toEqual({ odds: { answered: 0, help: 0.2 }, why: 'fall_in_shower' });
    expect(incidentOdds('hospital', landline)).toEqual({ odds: UNREACHABLE, why: 'hospital' });
    expect(incidentOdds('hospital', mobile)).toEqual({ odds: HOSPITAL_MOBILE, why: 'hospital' });
    expect(HOSPITAL_MOBILE.answered).toBe(0.5);
    expect(incidentOdds('away', landline)).toEqual({ odds: { answered: 0, help: 0 }, why: 'away' });
    expect(incidentOdds('away_unannounced', landline)).toEqual({ odds: UNREACHABLE, why: 'away_unannounced' });
    expect(incidentOdds('away', mobile)).toBeNull();
    expect(incidentOdds('away_unannounced', mobile)).toBeNull();
    expect(incidentOdds('late_rising', mobile)).toEqual({ odds: { answered: 0.3, help: 0 }, why: 'late_rising' });
    expect(ASLEEP).toEqual({ answered: 0.3, help: 0 });
    for (const kind of ['tap_running', 'leak', 'meter_outage', 'low_battery', 'fire', 'garbage', 'detector_removed']) {
      expect(incidentOdds(kind, landline)).toBeNull();
    }
    expect(outingOdds(landline)).toEqual(UNREACHABLE);
    expect(outingOdds(mobile)).toBeNull();
  });
});
