import { Flex, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PauseOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CarState } from '../api/schemas';

const MODE_COLOUR: Record<NonNullable<CarState['mode']>, string> = {
  normal: 'success',
  inspection: 'warning',
  maintenance: 'warning',
  fire: 'error',
  out_of_service: 'error',
  emergency_power: 'warning',
};
const POWER_COLOUR: Record<NonNullable<CarState['power']>, string> = { mains: 'default', battery: 'warning', off: 'error' };

/** Floor, direction, door, occupancy, mode and power of one car, large enough to read across a room. */
export function CarStateView({ state }: { state: CarState }) {
  const { t } = useTranslation();
  const dir = state.direction ?? 'stopped';
  const arrow = dir === 'up' ? <ArrowUpOutlined /> : dir === 'down' ? <ArrowDownOutlined /> : <PauseOutlined />;
  const doorOpen = state.door !== undefined && state.door !== 'closed';
  return (
    <Flex gap={16} align="center" className="hb-car">
      <div className={`hb-floor hb-dir-${dir}`} aria-label={t('elevators.floor')} data-floor={state.floor}>
        <span className="hb-floor-arrow">{arrow}</span>
        <span className="hb-floor-num">{state.floor ?? '–'}</span>
      </div>
      <Flex vertical gap={4} className="hb-car-facts">
        <Typography.Text>
          {t('elevators.direction')}: <strong>{t(`elevators.directions.${dir}`)}</strong>
        </Typography.Text>
        <Typography.Text>
          {t('elevators.door')}: <strong className={doorOpen ? 'hb-door-open' : undefined}>{state.door ? t(`elevators.doors.${state.door}`) : '—'}</strong>
          {state.doorZone === false ? <Tag color="warning" className="hb-inline-tag">{t('rule.elevator.stopped_outside_door_zone')}</Tag> : null}
        </Typography.Text>
        <Typography.Text>
          {state.occupied ? <TeamOutlined /> : <UserOutlined className="hb-muted" />} {state.occupied ? t('elevators.occupied') : t('elevators.empty_car')}
        </Typography.Text>
        <Flex gap={4} wrap>
          {state.mode ? <Tag color={MODE_COLOUR[state.mode]}>{t(`elevators.modes.${state.mode}`)}</Tag> : null}
          {state.power ? (
            <Tag color={POWER_COLOUR[state.power]}>
              {t('elevators.power')}: {t(`elevators.powers.${state.power}`)}
            </Tag>
          ) : null}
        </Flex>
      </Flex>
    </Flex>
  );
}
