import { Alert, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useSession } from '../auth/AuthContext';
import { ApiError, errorMessage } from '../api/client';
import { residentDetailSchema } from '../api/schemas';
import { useAlerts } from '../alerts/AlertsContext';
import { AlertHistory } from '../common/AlertHistory';
import { OpenAlerts } from '../common/OpenAlerts';
import { DeviceHealthTable } from '../common/DeviceHealthTable';
import { RiskTag } from '../common/tags';
import { useApiData, useThrottledCallback } from '../common/useApiData';
import { useDirectory } from '../directory/DirectoryContext';
import { useLiveMessages, useStreamEvents } from '../live/LiveContext';
import { AwayCard } from './AwayCard';
import { CheckCallsCard } from './CheckCallsCard';
import { RoutineCard } from './RoutineCard';
import { WaterUsageCard } from './WaterUsageCard';

/** One resident: colour, contact, open alerts, water use, routine, devices, check-in calls, absences and alert history. */
export function ResidentDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { api } = useSession();
  const dir = useDirectory();
  const feed = useAlerts();
  const detail = useApiData((signal) => api.get(`/api/residents/${encodeURIComponent(id)}`, residentDetailSchema, signal), [api, id]);
  const r = detail.data;

  // Anything about this resident or their devices changes the page: re-read it (at most once a second).
  const reloadSoon = useThrottledCallback(detail.reload, 1000);
  useStreamEvents(reloadSoon);
  useLiveMessages((m) => {
    if (!r) return;
    const mine = (subjectId: string) => subjectId === r.id || r.devices.includes(subjectId);
    if ((m.type === 'alert' && (mine(m.alert.subject.id) || (m.alert.deviceId !== undefined && mine(m.alert.deviceId)))) || ((m.type === 'risk' || m.type === 'away' || m.type === 'welcome_back') && m.subject.id === r.id) || (m.type === 'device' && r.devices.includes(m.deviceId))) {
      reloadSoon();
    }
  });

  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) {
    return <Result status="warning" title={t('residents.notFound')} extra={<Button onClick={() => navigate('/residents')}>{t('common.back')}</Button>} />;
  }
  if (detail.error && !r) return <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(detail.error) })} />;
  if (!r) return <Skeleton active />;

  const zone = dir.zoneOf(r.site);
  const mine = feed.alerts.filter((a) => a.subject.id === r.id || r.devices.includes(a.subject.id));
  const openAlerts = mine.filter((a) => a.state !== 'resolved');
  const historyKey = mine.map((a) => `${a.id}:${a.state}`).join(',');
  // The newest report of the resident's devices, as of the page's last read: the charts follow it.
  const lastReport = Math.max(0, ...r.deviceHealth.map((d) => d.lastSeenAt ?? 0));
  return (
    <div className="hb-page" data-resident-page={r.id}>
      <Link to="/residents" className="hb-back">
        <ArrowLeftOutlined /> {t('residents.title')}
      </Link>
      <Card className="hb-card hb-resident-head" size="small">
        <Flex justify="space-between" align="start" wrap gap={8}>
          <div>
            <Typography.Title level={3} className="hb-page-title">
              {r.name ?? r.id}
            </Typography.Title>
            <Flex gap={6} wrap align="center">
              <RiskTag colour={r.risk} />
              {r.awayNow ? <Tag color="purple">{t('residents.awayNow')}</Tag> : null}
              <Typography.Text type="secondary">{r.id}</Typography.Text>
            </Flex>
          </div>
          {r.phone ? (
            <Button icon={<PhoneOutlined />} href={`tel:${r.phone}`}>
              {t('residents.call')}
            </Button>
          ) : null}
        </Flex>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} className="hb-head-facts">
          <Descriptions.Item label={t('residents.address')}>{r.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('residents.phone')}>{r.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('common.site')}>{dir.sites.get(r.site)?.name ?? r.site}</Descriptions.Item>
        </Descriptions>
      </Card>
      <OpenAlerts alerts={openAlerts} />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <WaterUsageCard residentId={r.id} zone={zone} refreshKey={lastReport} />
        </Col>
        <Col xs={24} xl={10}>
          <RoutineCard residentId={r.id} refreshKey={lastReport} />
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('devices.title')} size="small" className="hb-card">
            <DeviceHealthTable devices={r.deviceHealth} zone={zone} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={12}>
            <CheckCallsCard residentId={r.id} zone={zone} />
            <AwayCard residentId={r.id} away={r.away} zone={zone} onChanged={detail.reload} />
          </Flex>
        </Col>
        <Col xs={24}>
          <Card title={t('alerts.history')} size="small" className="hb-card">
            <AlertHistory subjectIds={[r.id, ...r.devices]} zone={zone} refreshKey={historyKey} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
