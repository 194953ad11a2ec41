import { lazy, Suspense, useState } from 'react';
import { Alert, Card, Descriptions, Flex, Progress, Spin, Tag, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { formatDate, formatDateTime, formatTime } from '../common/format';
import { HistoryBody } from '../common/HistoryUnavailable';
import { useApiData, useSettledKey } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { useLiveMessages } from '../live/LiveContext';
import { getHistory, historyPaths, isUnavailable, routineSchema, type RoutineBounds, type RoutineView } from '../history/historyApi';

const BarChart = lazy(() => import('../charts/BarChart'));

/** `07:15` for slot 29 of the local day (96 quarter hours). */
function slotTime(slot: number): string {
  const min = Math.floor(slot) * 15;
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

function Bounds({ bounds, t }: { bounds: RoutineBounds | null; t: TFunction }) {
  if (!bounds) return <Typography.Text type="secondary">{t('routine.notYet')}</Typography.Text>;
  const dur = (min: number) => {
    const h = Math.floor(min / 60);
    const m = Math.round(min % 60);
    return h === 0 ? t('routine.minutes', { m }) : m === 0 ? t('routine.hours', { h }) : t('routine.hoursMinutes', { h, m });
  };
  return (
    <Descriptions size="small" column={1} className="hb-routine-bounds">
      <Descriptions.Item label={t('routine.firstUse')}>
        <Typography.Text strong>{`${bounds.firstUse.from}–${bounds.firstUse.to}`}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('routine.lastUse')}>
        <Typography.Text strong>{`${bounds.lastUse.from}–${bounds.lastUse.to}`}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('routine.quiet')}>
        {t('routine.quietParts', { morning: dur(bounds.longestQuietByPart.morning), afternoon: dur(bounds.longestQuietByPart.afternoon), evening: dur(bounds.longestQuietByPart.evening) })}
      </Descriptions.Item>
      <Descriptions.Item label={t('routine.learnedFrom')}>
        {bounds.sameDayType ? t('routine.fromDays', { count: bounds.days }) : t('routine.fromAllDays', { count: bounds.days })}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** "No water used since 12:00 · a check-in call at 13:36 if none by then", or the part that applies. */
function expectingDetail(e: NonNullable<RoutineView['expecting']>, at: (ms: number) => string, t: TFunction): string | undefined {
  const parts: string[] = [];
  if (e.since !== undefined) parts.push(t('routine.since', { time: at(e.since) }));
  if (e.callAt !== undefined) parts.push(t('routine.callAt', { time: at(e.callAt) }));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function StatusTag({ r, t }: { r: RoutineView; t: TFunction }) {
  if (r.status === 'off') return <Tag data-routine-status="off">{t('routine.status.off')}</Tag>;
  if (r.status === 'learning') {
    return (
      <Tag color="processing" data-routine-status="learning">
        {t('routine.status.learning', { learned: Math.min(r.learnedDays, r.warmupDays), warmup: r.warmupDays })}
      </Tag>
    );
  }
  return (
    <Tag color="success" data-routine-status="learned">
      {t('routine.status.learned')}
    </Tag>
  );
}

/**
 * The resident's learned routine (docs/rules.md, "Learned routines"): whether it is learned yet, the
 * usual first use and bedtime on weekdays and weekends, the longest usual quiet spells, what the rule
 * expects next (and when the resident is rung first), and the learned day profile. `refreshKey` changes
 * when the page re-reads (live pushes); a check-in call's placing or answer re-reads it too (an answer
 * restarts the quiet spell).
 */
export function RoutineCard({ residentId, refreshKey }: { residentId: string; refreshKey?: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const [callChanges, setCallChanges] = useState(0);
  useLiveMessages((m) => {
    if (m.type === 'check_call' && m.subject.id === residentId) setCallChanges((n) => n + 1);
  });
  const settledKey = useSettledKey(`${refreshKey ?? 0}:${callChanges}`);
  const data = useApiData((signal) => getHistory(api, historyPaths.routine(residentId), routineSchema, signal), [api, residentId, settledKey]);

  const answer = data.data;
  const extra = answer !== undefined && !isUnavailable(answer) ? <StatusTag r={answer} t={t} /> : undefined;
  const body = (
    <HistoryBody state={data} unavailableTitle={t('routine.unavailable')}>
      {(r) => {
        const tz = r.timeZone;
        const sameDay = (a: number, b: number) => formatDate(a, locale, tz) === formatDate(b, locale, tz);
        const at = (ms: number) => (sameDay(ms, Date.now()) ? formatTime(ms, locale, tz) : formatDateTime(ms, locale, tz));
        const peak = Math.max(0, ...r.profile);
        return (
          <Flex vertical gap={8}>
            {r.status === 'off' ? <Typography.Text type="secondary">{t('routine.offHint')}</Typography.Text> : null}
            {r.status === 'learning' ? (
              <div>
                <Progress percent={r.warmupDays > 0 ? Math.round((100 * Math.min(r.learnedDays, r.warmupDays)) / r.warmupDays) : 0} size="small" showInfo={false} />
                <Typography.Text type="secondary" className="hb-small">
                  {t('routine.learningHint', { warmup: r.warmupDays })}
                </Typography.Text>
              </div>
            ) : null}
            {r.expecting ? (
              <Alert
                type="info"
                showIcon
                icon={<ClockCircleOutlined />}
                data-testid="routine-expecting"
                title={t(`routine.expecting.${r.expecting.kind}`, { time: at(r.expecting.due) })}
                description={expectingDetail(r.expecting, at, t)}
              />
            ) : null}
            {r.status !== 'off' || r.weekday || r.weekend ? (
              <div className="hb-routine-types">
                <div>
                  <Typography.Title level={5} className="hb-routine-type">
                    {t('routine.weekday')}
                  </Typography.Title>
                  <Bounds bounds={r.weekday} t={t} />
                </div>
                <div>
                  <Typography.Title level={5} className="hb-routine-type">
                    {t('routine.weekend')}
                  </Typography.Title>
                  <Bounds bounds={r.weekend} t={t} />
                </div>
              </div>
            ) : null}
            {r.profile.length > 0 && peak > 0 ? (
              <div>
                <Typography.Text type="secondary" className="hb-small">
                  {t('routine.profile')}
                </Typography.Text>
                <Suspense fallback={<Spin />}>
                  <BarChart
                    testId="routine-profile"
                    compact
                    height={96}
                    digits={2}
                    unit=""
                    name={t('routine.relative')}
                    colour="#13a8a8"
                    bars={r.profile.map((v, i) => ({ label: slotTime((i * 96) / r.profile.length), title: `${slotTime((i * 96) / r.profile.length)}–${slotTime(((i + 1) * 96) / r.profile.length)}`, value: v / peak }))}
                  />
                </Suspense>
              </div>
            ) : null}
            <Typography.Text type="secondary" className="hb-small">
              {[t('routine.dayStartsAt', { time: r.dayStartsAt }), r.markedNormalDays > 0 ? t('routine.markedNormal', { count: r.markedNormalDays }) : '', r.missedCalls > 0 ? t('routine.missedCalls', { count: r.missedCalls }) : ''].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Flex>
        );
      }}
    </HistoryBody>
  );
  return (
    <Card title={t('routine.title')} extra={extra} size="small" className="hb-card" data-testid="routine-card">
      {body}
    </Card>
  );
}
