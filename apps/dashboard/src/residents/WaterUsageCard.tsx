import { lazy, Suspense, useState } from 'react';
import { Alert, Card, Segmented, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { errorMessage } from '../api/client';
import { formatDate, formatTime } from '../common/format';
import { HistoryUnavailable } from '../common/HistoryUnavailable';
import { useApiData } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { fillPath, historyRoutes, waterUsageAnswer, type WaterBucket } from '../history/historyApi';

const BarChart = lazy(() => import('../charts/BarChart'));

type Range = 'day' | 'week' | 'month';
/** 24 h in quarter hours (the rhythm of a day: rising, meals, washing), 7 and 30 days per day. */
const RANGES: Record<Range, { spanMs: number; unit: string }> = {
  day: { spanMs: 24 * 3_600_000, unit: '15m' },
  week: { spanMs: 7 * 86_400_000, unit: 'day' },
  month: { spanMs: 30 * 86_400_000, unit: 'day' },
};

/** Water use charts from the history API; "history not available" when the engine does not serve it. */
export function WaterUsageCard({ residentId, zone }: { residentId: string; zone: string | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const [range, setRange] = useState<Range>('day');
  const data = useApiData(
    async (signal): Promise<WaterBucket[] | 'unavailable'> => {
      const routes = await historyRoutes(api);
      if (!routes.waterUsage) return 'unavailable';
      const to = Date.now();
      const { spanMs, unit } = RANGES[range];
      const q = new URLSearchParams({ from: String(to - spanMs), to: String(to), unit });
      if (zone) q.set('timeZone', zone);
      return api.get(`${fillPath(routes.waterUsage, residentId)}?${q.toString()}`, waterUsageAnswer, signal);
    },
    [api, residentId, range, zone],
  );

  const label = (b: WaterBucket) => (range === 'day' ? formatTime(b.start, locale, zone) : formatDate(b.start, locale, zone));
  return (
    <Card title={t('water.title')} size="small" className="hb-card">
      {/* In the body, not the card's header: on a phone the header has no room for both. */}
      <Segmented<Range>
        size="small"
        value={range}
        onChange={setRange}
        options={(['day', 'week', 'month'] as const).map((r) => ({ value: r, label: t(`water.${r}`) }))}
        className="hb-range"
      />
      {data.data === 'unavailable' ? (
        <HistoryUnavailable title={t('water.unavailable')} hint={t('water.unavailableHint')} />
      ) : data.error ? (
        <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(data.error) })} />
      ) : !data.data ? (
        <Spin />
      ) : (
        <Suspense fallback={<Spin />}>
          <BarChart
            bars={data.data.map((b) => ({ label: label(b), value: b.intervals === 0 ? undefined : b.usageL }))}
            unit={t('water.liters')}
            noDataLabel={t('water.noData')}
          />
        </Suspense>
      )}
    </Card>
  );
}
