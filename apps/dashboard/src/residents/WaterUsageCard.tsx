import { lazy, Suspense, useEffect, useState } from 'react';
import { Card, Segmented, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { formatDate, formatTime } from '../common/format';
import { HistoryBody } from '../common/HistoryUnavailable';
import { useApiData, useSettledKey } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { getHistory, historyPaths, waterHistorySchema, waterTotals, type WaterBucket } from '../history/historyApi';
import { WATER_RANGES, waterQuery, type WaterRange } from '../history/ranges';

const BarChart = lazy(() => import('../charts/BarChart'));

const litres = (v: number, locale: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);

/**
 * Water use from the history API: 24 h by quarter hour, 7 and 30 days by day. A bucket in which the
 * meter reported nothing (`intervals: 0`) is a grey stub, never a zero (domain.md, complaint 2).
 * `refreshKey` changes when the resident's meter reports (live pushes): the chart is re-read.
 */
export function WaterUsageCard({ residentId, zone, refreshKey }: { residentId: string; zone: string | undefined; refreshKey?: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const settledKey = useSettledKey(refreshKey);
  const [range, setRange] = useState<WaterRange>('day');
  const data = useApiData(
    (signal) => {
      const q = waterQuery(range, Date.now(), zone);
      return getHistory(api, historyPaths.water(residentId, { ...q, ...(zone ? { timeZone: zone } : {}) }), waterHistorySchema, signal);
    },
    [api, residentId, range, zone, settledKey],
  );
  // Readings arrive every 15 min without a push to the screen: re-read once a minute (in the background).
  const { reload } = data;
  useEffect(() => {
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);

  const body = (
    <HistoryBody state={data} unavailableTitle={t('water.unavailable')}>
      {(h) => {
        const tz = h.timeZone;
        const quarter = h.unit === 'quarter';
        const title = (b: WaterBucket) => (quarter ? `${formatDate(b.start, locale, tz)} ${formatTime(b.start, locale, tz)}–${formatTime(b.end, locale, tz)}` : formatDate(b.start, locale, tz));
        const totals = waterTotals(h.buckets);
        const days = h.buckets.length;
        return (
          <>
            <Typography.Paragraph className="hb-water-total" data-testid="water-total" data-litres={totals.litres.toFixed(3)} data-no-data={totals.noData}>
              {totals.withData === 0 ? (
                <Typography.Text type="warning">{t('water.allNoData')}</Typography.Text>
              ) : (
                <>
                  <Typography.Text strong>
                    {quarter ? t('water.totalDay', { litres: litres(totals.litres, locale) }) : t('water.totalDays', { days, litres: litres(totals.litres, locale) })}
                  </Typography.Text>
                  {!quarter ? <Typography.Text type="secondary">{` · ${t('water.perDay', { litres: litres(totals.litres / totals.withData, locale) })}`}</Typography.Text> : null}
                </>
              )}
            </Typography.Paragraph>
            <Suspense fallback={<Spin />}>
              <BarChart
                testId="water-chart"
                bars={h.buckets.map((b) => ({ label: quarter ? formatTime(b.start, locale, tz) : formatDate(b.start, locale, tz), title: title(b), value: b.intervals === 0 ? undefined : b.usageL }))}
                name={t('water.usage')}
                unit={t('water.liters')}
                noDataLabel={t('water.noData')}
              />
            </Suspense>
            {totals.noData > 0 && totals.withData > 0 ? (
              <Typography.Text type="secondary" className="hb-small">
                {t(quarter ? 'water.noDataQuarters' : 'water.noDataDays', { count: totals.noData })}
              </Typography.Text>
            ) : null}
          </>
        );
      }}
    </HistoryBody>
  );
  return (
    <Card title={t('water.title')} size="small" className="hb-card" data-testid="water-card">
      {/* In the body, not the card's header: on a phone the header has no room for both. */}
      <Segmented<WaterRange> size="small" value={range} onChange={setRange} options={WATER_RANGES.map((r) => ({ value: r, label: t(`water.${r}`) }))} className="hb-range" />
      {body}
    </Card>
  );
}
