import { Card, Empty, Flex, List, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { formatDate, formatDateTime, formatTime } from '../common/format';
import { HistoryBody } from '../common/HistoryUnavailable';
import { useApiData, useThrottledCallback } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { checkCallOutcome, checkCallsSchema, getHistory, historyPaths, NOT_RINGING, type CheckCallOutcome, type CheckCallsView } from '../history/historyApi';
import { useLiveMessages, useStreamEvents } from '../live/LiveContext';

const OUTCOME_COLOUR: Record<CheckCallOutcome, string> = {
  ringing: 'processing',
  answered_well: 'success',
  needs_help: 'error',
  no_answer: 'warning',
  failed: 'warning',
};

/** Why the resident is not rung first, in words (an unknown reason from a newer engine says so plainly). */
function notRinging(checkIn: CheckCallsView['checkIn'], t: TFunction): string {
  const because = NOT_RINGING.find((b) => b === checkIn.because);
  return t(`checkCalls.off.${because ?? 'other'}`);
}

/**
 * The automated check-in calls the learned routine placed before raising any alert (docs/field-workflow.md,
 * "Calls before an alert"): when each was placed (site time), what came of it, and why the resident was
 * rung. Live: every `check_call` push about this resident re-reads the list. An empty list says whether
 * no call was needed, or none could be made (no phone, no check-in step at the site).
 */
export function CheckCallsCard({ residentId, zone }: { residentId: string; zone: string | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const data = useApiData((signal) => getHistory(api, historyPaths.checkCalls(residentId), checkCallsSchema, signal), [api, residentId]);

  const reloadSoon = useThrottledCallback(data.reload, 300);
  useLiveMessages((m) => {
    if (m.type === 'check_call' && m.subject.id === residentId) reloadSoon();
  });
  // After a reconnection or a reset the pushes in between may be missing: read the list again.
  useStreamEvents(reloadSoon);

  // The clock time alone on the same local day as `ref` (today for the time placed, the placing for a result).
  const when = (ms: number, ref = Date.now()) => (formatDate(ms, locale, zone) === formatDate(ref, locale, zone) ? formatTime(ms, locale, zone) : formatDateTime(ms, locale, zone));
  return (
    <Card
      title={
        <span>
          <PhoneOutlined /> {t('checkCalls.title')}
        </span>
      }
      size="small"
      className="hb-card"
      data-testid="check-calls-card"
    >
      <HistoryBody state={data} unavailableTitle={t('checkCalls.unavailable')}>
        {(answer) => {
          const { calls, checkIn } = answer;
          if (calls.length === 0) {
            return (
              <Empty
                className="hb-check-calls-empty"
                image={<PhoneOutlined className="hb-empty-icon" />}
                data-testid="check-calls-empty"
                data-rings-first={String(checkIn.ringsFirst)}
                description={
                  checkIn.ringsFirst ? (
                    <Flex vertical gap={2}>
                      <Typography.Text>{t('checkCalls.empty')}</Typography.Text>
                      <Typography.Text type="secondary" className="hb-small">
                        {t('checkCalls.hint')}
                      </Typography.Text>
                    </Flex>
                  ) : (
                    <Typography.Text type="secondary">{notRinging(checkIn, t)}</Typography.Text>
                  )
                }
              />
            );
          }
          return (
            <Flex vertical gap={4}>
              {checkIn.ringsFirst ? null : (
                <Typography.Text type="secondary" className="hb-small" data-testid="check-calls-off">
                  {t('checkCalls.nowOff', { why: notRinging(checkIn, t) })}
                </Typography.Text>
              )}
              <List
                size="small"
                className="hb-check-calls"
                dataSource={calls}
                rowKey={(c) => c.callId}
                renderItem={(c) => {
                  const outcome = checkCallOutcome(c);
                  return (
                    <List.Item data-call-id={c.callId} data-call-outcome={outcome}>
                      <Flex vertical gap={2} className="hb-full">
                        <Flex gap={6} wrap align="center">
                          <Typography.Text strong data-testid="check-call-time">
                            {when(c.placedAt)}
                          </Typography.Text>
                          <Tag color={OUTCOME_COLOUR[outcome]} data-testid="check-call-outcome">
                            {t(`checkCalls.outcome.${outcome}`)}
                            {c.timedOut ? ` · ${t('checkCalls.timedOut')}` : ''}
                          </Tag>
                          {c.resultAt !== undefined && !c.timedOut ? (
                            <Typography.Text type="secondary" className="hb-small">
                              {t('checkCalls.resultAt', { time: when(c.resultAt, c.placedAt) })}
                            </Typography.Text>
                          ) : null}
                        </Flex>
                        <Typography.Text type="secondary" className="hb-small" data-testid="check-call-reason">
                          {c.reason}
                        </Typography.Text>
                        {c.late ? (
                          // A late call for help raised a critical alert (the rules act on it however late): it must catch the eye.
                          <Typography.Text type={c.late.result === 'needs_help' ? 'danger' : 'secondary'} className="hb-small" data-testid="check-call-late">
                            {t(c.late.result === 'needs_help' ? 'checkCalls.lateHelp' : 'checkCalls.late', { outcome: t(`checkCalls.outcome.${c.late.result}`), time: when(c.late.at, c.placedAt) })}
                          </Typography.Text>
                        ) : null}
                      </Flex>
                    </List.Item>
                  );
                }}
              />
            </Flex>
          );
        }}
      </HistoryBody>
    </Card>
  );
}
