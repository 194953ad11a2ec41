import { lazy, Suspense } from 'react';
import { Alert, Card, Spin, Statistic, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { errorMessage } from '../api/client';
import { formatDate } from '../common/format';
import { HistoryUnavailable } from '../common/HistoryUnavailable';
import { useApiData } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { activityAnswer, fillPath, historyRoutes, type ActivityBucket } from '../history/historyApi';

const BarChart = lazy(() => import('../charts/BarChart'));
const DAYS = 30;

/** Availability over 30 days (share of time not down) and faults per day, from the history API when present. */
export function AvailabilityCard({ elevatorId, zone }: { elevatorId: string; zone: string | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const data = useApiData(
    async (signal): Promise<ActivityBucket[] | 'unavailable'> => {
      const routes = await historyRoutes(api);
      if (!routes.elevatorActivity) return 'unavailable';
      const to = Date.now();
      const q = new URLSearchParams({ from: String(to - DAYS * 86_400_000), to: String(to), unit: 'day' });
      if (zone) q.set('timeZone', zone);
      return api.get(`${fillPath(routes.elevatorActivity, elevatorId)}?${q.toString()}`, activityAnswer, signal);
    },
    [api, elevatorId, zone],
  );

  let body;
  if (data.data === 'unavailable') body = <HistoryUnavailable title={t('elevators.availabilityUnavailable')} />;
  else if (data.error) body = <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(data.error) })} />;
  else if (!data.data) body = <Spin />;
  else {
    const buckets = data.data;
    const span = buckets.reduce((s, b) => s + ((b.end ?? b.start + 86_400_000) - b.start), 0);
    const down = buckets.reduce((s, b) => s + b.downtimeMs, 0);
    const faults = buckets.reduce((s, b) => s + b.faults, 0);
    body = (
      <>
        <Flex gap={24} wrap>
          <Statistic title={t('elevators.availability')} value={span > 0 ? (100 * (span - down)) / span : 100} precision={2} suffix="%" />
          <Statistic title={t('elevators.faultHistory')} value={faults} />
        </Flex>
        <Suspense fallback={<Spin />}>
          <BarChart bars={buckets.map((b) => ({ label: formatDate(b.start, locale, zone), value: b.faults }))} unit="" noDataLabel="" colour="#cf1322" height={180} />
        </Suspense>
      </>
    );
  }
  return (
    <Card title={`${t('elevators.availability')} · ${DAYS} d`} size="small" className="hb-card">
      {body}
    </Card>
  );
}
