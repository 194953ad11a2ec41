import { startVictoriaMetrics, type VictoriaMetricsServer } from './victoria-metrics';

describe('startVictoriaMetrics', () => {
  let server: VictoriaMetricsServer | undefined;
  afterEach(async () => server?.stop());

  it('accepts line protocol on the v2 write API and exports it after a forced flush, also after a restart on the same port and data', async () => {
    server = await startVictoriaMetrics();
    const res = await fetch(`${server.url}/api/v2/write?org=o&bucket=b&precision=ms`, { method: 'POST', body: 'water,device=WM-1 totalL=12.5 1740000000000' });
    expect(res.status).toBe(204);
    await server.forceFlush();
    expect(await server.exportSeries('{__name__="water_totalL"}')).toEqual([
      { metric: { __name__: 'water_totalL', device: 'WM-1' }, values: [12.5], timestamps: [1740000000000] },
    ]);
    const { port, dataDir } = server;
    await server.stop({ keepData: true });
    server = await startVictoriaMetrics({ port, dataDir });
    expect((await server.exportSeries('{__name__="water_totalL"}'))[0]?.values).toEqual([12.5]);
  });
});
