import { startInfluxDb1, type InfluxDb1Server } from './influxdb';

describe('startInfluxDb1', () => {
  let server: InfluxDb1Server | undefined;
  afterEach(async () => server?.stop());

  it('serves /write and InfluxQL on /query', async () => {
    server = await startInfluxDb1();
    await server.query('CREATE DATABASE t');
    await server.write('t', ['water,device=WM-1 totalL=10 1740000000000', 'water,device=WM-1 totalL=12.5 1740000900000']);
    const json = await server.query('SELECT SUM(d) FROM (SELECT DIFFERENCE(totalL) AS d FROM water)', 't');
    expect(JSON.stringify(json)).toContain('2.5');
    await expect(server.query('SELECT nope FROM', 't')).rejects.toThrow(/influxdb 400/);
  });
});
