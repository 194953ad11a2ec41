import { fillPath, pickRoutes, waterUsageAnswer } from './historyApi';

describe('history routes from the OpenAPI document', () => {
  it('finds nothing in an engine without history routes', () => {
    expect(pickRoutes(['/api/alerts', '/api/residents/{id}', '/api/residents/{id}/away', '/api/elevators/{id}'])).toEqual({});
  });

  it('recognises history routes by their shape', () => {
    expect(
      pickRoutes(['/api/residents/{id}/history/water', '/api/residents/{id}/routine', '/api/elevators/{id}/history/activity', '/api/elevators/{id}/history/events']),
    ).toEqual({
      waterUsage: '/api/residents/{id}/history/water',
      routine: '/api/residents/{id}/routine',
      elevatorActivity: '/api/elevators/{id}/history/activity',
      elevatorEvents: '/api/elevators/{id}/history/events',
    });
    expect(fillPath('/api/residents/{id}/history/water', 'R 1')).toBe('/api/residents/R%201/history/water');
  });

  it('reads a bucket list bare or wrapped', () => {
    const b = { start: 0, usageL: 3, intervals: 2 };
    expect(waterUsageAnswer.parse([b])).toEqual([b]);
    expect(waterUsageAnswer.parse({ buckets: [b] })).toEqual([b]);
  });
});
