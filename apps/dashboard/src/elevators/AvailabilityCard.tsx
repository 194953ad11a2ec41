import { lazy, Suspense } from 'react';
import { Card, Flex, Spin, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { formatDate, formatDuration } from '../common/format';
import { HistoryBody } from '../common/HistoryUnavailable';
import { useApiData, useSettledKey } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { activityHistorySchema, activityTotals, DOWNTIME_REASONS, downtimeByReason, getHistory, historyPaths, liftReported } from '../history/historyApi';
import { daysBack } from '../history/ranges';

const BarChart = lazy(() => import('../charts/BarChart'));
export const HISTORY_DAYS = 30;

/**
 * A lift over the last 30 local days (docs/telemetry.md, "Elevator activity"): availability (the share of
 * the elapsed time it was not down), downtime by reason, trips and faults per day. A day on which the
 * terminal reported nothing (`samples: 0`: before it was installed, or while it was silent) is a grey
 * "no data" stub, as on the water chart, never "0 trips".
 */
export function AvailabilityCard({ elevatorId, zone, refreshKey }: { elevatorId: string; zone: string | undefined; refreshKey?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const settledKey = useSettledKey(refreshKey);
  const data = useApiData(
    (signal) => {
      const to = Date.now();
      return getHistory(api, historyPaths.activity(elevatorId, { from: daysBack(to, zone, HISTORY_DAYS), to, unit: 'day', ...(zone ? { timeZone: zone } : {}) }), activityHistorySchema, signal);
    },
    [api, elevatorId, zone, settledKey],
  );

  const body = (
    <HistoryBody state={data} unavailableTitle={t('elevators.availabilityUnavailable')}>
      {(h) => {
        const down = downtimeByReason(h.buckets);
        const reasons = DOWNTIME_REASONS.filter((r) => down[r] > 0);
        const { trips, faults, withData, noData } = activityTotals(h.buckets);
        const bars = (value: (b: (typeof h.buckets)[number]) => number) =>
          h.buckets.map((b) => ({ label: formatDate(b.start, locale, h.timeZone), value: liftReported(b) ? value(b) : undefined }));
        const availability = h.availability;
        return (
          <Flex vertical gap={8}>
            <Flex gap={24} wrap align="start">
              <div data-testid="availability" data-availability={availability === null ? '' : availability.toFixed(6)}>
                <Statistic
                  title={t('elevators.availability')}
                  value={availability === null ? t('elevators.noAvailability') : 100 * availability}
                  precision={availability === null ? undefined : 2}
                  suffix={availability === null ? undefined : '%'}
                  styles={{ content: { color: availability === null ? undefined : availability >= 0.99 ? '#389e0d' : availability >= 0.95 ? '#d48806' : '#cf1322' } }}
                />
              </div>
              <Statistic title={t('elevators.trips')} value={withData === 0 ? t('elevators.noAvailability') : trips} />
              <Statistic title={t('elevators.faults30')} value={withData === 0 ? t('elevators.noAvailability') : faults} styles={{ content: faults > 0 ? { color: '#cf1322' } : {} }} />
            </Flex>
            {withData === 0 ? (
              <Typography.Text type="warning" data-testid="lift-all-no-data">
                {t('elevators.allNoData')}
              </Typography.Text>
            ) : null}
            <div data-testid="downtime">
              <Typography.Text type="secondary">{t('elevators.downtime')}: </Typography.Text>
              {reasons.length === 0 ? (
                <Typography.Text>{t('elevators.noDowntime')}</Typography.Text>
              ) : (
                reasons.map((r, i) => (
                  <Typography.Text key={r} data-downtime={r}>
                    {i > 0 ? ' · ' : ''}
                    {`${t(`elevators.downtimeReasons.${r}`)} ${formatDuration(down[r], locale)}`}
                  </Typography.Text>
                ))
              )}
            </div>
            <Suspense fallback={<Spin />}>
              <Typography.Text type="secondary" className="hb-small">
                {t('elevators.tripsPerDay')}
              </Typography.Text>
              <BarChart testId="trips-chart" bars={bars((b) => b.trips)} name={t('elevators.trips')} unit={t('elevators.times')} digits={0} height={160} noDataLabel={t('elevators.noData')} />
              <Typography.Text type="secondary" className="hb-small">
                {t('elevators.faultsPerDay')}
              </Typography.Text>
              <BarChart
                testId="faults-chart"
                bars={bars((b) => b.faults)}
                name={t('elevators.faults30')}
                unit={t('elevators.times')}
                digits={0}
                height={130}
                colour="#cf1322"
                noDataLabel={t('elevators.noData')}
              />
            </Suspense>
            {noData > 0 && withData > 0 ? (
              <Typography.Text type="secondary" className="hb-small" data-testid="lift-no-data">
                {t('elevators.noDataDays', { count: noData })}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      }}
    </HistoryBody>
  );
  return (
    <Card title={t('elevators.availabilityTitle', { days: HISTORY_DAYS })} size="small" className="hb-card" data-testid="availability-card">
      {body}
    </Card>
  );
}
