import { Alert, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useSession } from '../auth/AuthContext';
import { ApiError, errorMessage } from '../api/client';
import { elevatorDetailSchema } from '../api/schemas';
import { useAlerts } from '../alerts/AlertsContext';
import { AlertHistory } from '../common/AlertHistory';
import { DeviceHealthTable } from '../common/DeviceHealthTable';
import { formatDateTime } from '../common/format';
import { RiskTag } from '../common/tags';
import { useApiData, useThrottledCallback } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { useDirectory } from '../directory/DirectoryContext';
import { useLiveMessages, useStreamEvents } from '../live/LiveContext';
import { OpenAlerts } from '../common/OpenAlerts';
import { AvailabilityCard } from './AvailabilityCard';
import { FaultEventsCard } from './FaultEventsCard';
import { useCarStates } from './CarStates';
import { CarStateView } from './CarStateView';

/** One lift: live car state, open alerts, terminal health, availability and fault history. */
export function ElevatorDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const { api } = useSession();
  const dir = useDirectory();
  const feed = useAlerts();
  const cars = useCarStates();
  const detail = useApiData((signal) => api.get(`/api/elevators/${encodeURIComponent(id)}`, elevatorDetailSchema, signal), [api, id]);
  const e = detail.data;

  const reloadSoon = useThrottledCallback(detail.reload, 1000);
  useStreamEvents(reloadSoon);
  useLiveMessages((m) => {
    if (!e) return;
    if ((m.type === 'alert' && (m.alert.subject.id === e.id || m.alert.subject.id === e.device)) || (m.type === 'risk' && m.subject.id === e.id) || (m.type === 'device' && m.deviceId === e.device)) reloadSoon();
  });

  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) {
    return <Result status="warning" title={t('elevators.notFound')} extra={<Button onClick={() => navigate('/elevators')}>{t('common.back')}</Button>} />;
  }
  if (detail.error && !e) return <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(detail.error) })} />;
  if (!e) return <Skeleton active />;

  const zone = dir.zoneOf(e.site);
  // The live push is newer than the page's last read whenever both exist.
  const live = cars.get(e.id);
  const state = live ?? e.state;
  const online = live?.online ?? e.online;
  const mine = feed.alerts.filter((a) => a.subject.id === e.id || a.subject.id === e.device);
  const open = mine.filter((a) => a.state !== 'resolved');
  // A new or changed alert of this lift (a fault, a trapped passenger) is news for its history too.
  const alertsKey = mine.map((a) => `${a.id}:${a.state}:${a.count}`).join(',');
  return (
    <div className="hb-page" data-elevator-page={e.id}>
      <Link to="/elevators" className="hb-back">
        <ArrowLeftOutlined /> {t('elevators.title')}
      </Link>
      <Card size="small" className="hb-card">
        <Flex justify="space-between" align="start" wrap gap={8}>
          <div>
            <Typography.Title level={3} className="hb-page-title">
              {e.building ? `${e.building} · ` : ''}
              {e.id}
            </Typography.Title>
            <Flex gap={6} wrap>
              <RiskTag colour={e.risk} />
              {online ? <Tag color="success">{t('elevators.online')}</Tag> : <Tag color="error">{t('elevators.offline')}</Tag>}
            </Flex>
          </div>
        </Flex>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} className="hb-head-facts">
          <Descriptions.Item label={t('common.site')}>{dir.sites.get(e.site)?.name ?? e.site}</Descriptions.Item>
          <Descriptions.Item label={t('elevators.floor')}>{t('elevators.range', { min: e.minFloor, max: e.maxFloor })}</Descriptions.Item>
          {e.ratedSpeedMps !== undefined ? <Descriptions.Item label={t('elevators.speed')}>{`${state?.speedMps ?? 0} / ${e.ratedSpeedMps} m/s`}</Descriptions.Item> : null}
          <Descriptions.Item label={t('elevators.lastTestCall')}>{state?.lastTestCallAt ? formatDateTime(state.lastTestCallAt, locale, zone) : t('common.never')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10}>
          <Card title={t('elevators.live')} size="small" className="hb-card">
            {state && state.stateTs !== undefined ? <CarStateView state={state} /> : <Typography.Text type="secondary">{t('elevators.noState')}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <OpenAlerts alerts={open} />
          <Card title={t('devices.title')} size="small" className="hb-card">
            <DeviceHealthTable devices={e.deviceHealth} zone={zone} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <AvailabilityCard elevatorId={e.id} zone={zone} refreshKey={alertsKey} />
        </Col>
        <Col xs={24} lg={12}>
          <FaultEventsCard elevatorId={e.id} zone={zone} refreshKey={alertsKey} />
          <Card title={t('alerts.history')} size="small" className="hb-card">
            <AlertHistory subjectIds={[e.id, e.device]} zone={zone} refreshKey={alertsKey} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
