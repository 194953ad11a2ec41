import { Card, Empty, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertView, ElevatorView } from '../api/schemas';
import { formatRelative } from '../common/format';
import { ruleLabel } from '../common/labels';
import { RiskTag } from '../common/tags';
import { useLocale } from '../common/useLocale';
import type { CarSnapshot } from './CarStates';
import { CarStateView } from './CarStateView';

interface Props {
  elevator: ElevatorView;
  car: CarSnapshot | undefined;
  alerts: AlertView[];
  now: number;
  onOpen(id: string): void;
}

/** One lift on the board: live car state and what is wrong with it. */
export function ElevatorCard({ elevator: e, car, alerts, now, onOpen }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const online = car?.online ?? e.online;
  const critical = alerts.some((a) => a.severity === 'critical');
  return (
    <Card
      size="small"
      hoverable
      className={`hb-elevator hb-elevator-${e.risk} ${critical ? 'hb-elevator-critical' : ''} ${online ? '' : 'hb-elevator-offline'}`}
      onClick={() => onOpen(e.id)}
      data-elevator={e.id}
      title={
        <Flex justify="space-between" align="center" gap={8}>
          <span className="hb-ellipsis">
            {e.building ? `${e.building} · ` : ''}
            {e.id}
          </span>
          <RiskTag colour={e.risk} />
        </Flex>
      }
    >
      {car && car.stateTs !== undefined ? <CarStateView state={car} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('elevators.noState')} />}
      <Flex gap={4} wrap className="hb-elevator-faults" data-testid="elevator-faults">
        {!online ? <Tag color="error">{t('elevators.offline')}</Tag> : null}
        {alerts.length === 0 ? (
          <Typography.Text type="secondary">{t('elevators.noFaults')}</Typography.Text>
        ) : (
          alerts.map((a) => (
            <Tag key={a.id} color={a.severity === 'critical' ? 'red' : a.severity === 'high' ? 'volcano' : 'gold'} variant={a.severity === 'critical' ? 'solid' : 'filled'}>
              {ruleLabel(t, a.rule)}
            </Tag>
          ))
        )}
      </Flex>
      <Typography.Text type="secondary" className="hb-small">
        {t('elevators.range', { min: e.minFloor, max: e.maxFloor })}
        {car?.stateTs !== undefined ? ` · ${t('elevators.updated', { time: formatRelative(car.stateTs, now, locale) })}` : ''}
      </Typography.Text>
    </Card>
  );
}
