import { useMemo, useState } from 'react';
import { Alert, Checkbox, Flex, Input, Segmented, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { RISK_COLOURS, RISK_RANK, type RiskColour } from '@hearthbeat/contracts';
import type { ResidentView } from '../api/schemas';
import { errorMessage } from '../api/client';
import { RiskTag } from '../common/tags';
import { useDirectory } from '../directory/DirectoryContext';

/** Every resident the user looks after, reddest first, filterable by colour, absence and open alerts. */
export function ResidentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const dir = useDirectory();
  const [colour, setColour] = useState<RiskColour | 'all'>('all');
  const [query, setQuery] = useState('');
  const [onlyAway, setOnlyAway] = useState(false);
  const [onlyAlerts, setOnlyAlerts] = useState(false);

  const counts = useMemo(() => {
    const c: Record<RiskColour, number> = { green: 0, blue: 0, yellow: 0, orange: 0, red: 0 };
    for (const r of dir.residents) c[r.risk]++;
    return c;
  }, [dir.residents]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return dir.residents
      .filter((r) => colour === 'all' || r.risk === colour)
      .filter((r) => !onlyAway || r.awayNow)
      .filter((r) => !onlyAlerts || r.unresolvedAlerts > 0)
      .filter((r) => !q || [r.id, r.name, r.address, r.phone].some((s) => s?.toLowerCase().includes(q)))
      .sort((a, b) => RISK_RANK[b.risk] - RISK_RANK[a.risk] || b.unresolvedAlerts - a.unresolvedAlerts || a.id.localeCompare(b.id));
  }, [dir.residents, colour, onlyAway, onlyAlerts, query]);

  const columns: ColumnsType<ResidentView> = [
    { key: 'risk', title: t('risk.label'), render: (_, r) => <RiskTag colour={r.risk} />, width: 120 },
    {
      key: 'name',
      title: t('residents.name'),
      render: (_, r) => (
        <div>
          <Typography.Text strong>{r.name ?? r.id}</Typography.Text>
          <div className="hb-muted hb-small">
            {r.id}
            {r.address ? <span className="hb-only-phone"> · {r.address}</span> : null}
          </div>
        </div>
      ),
    },
    { key: 'address', title: t('residents.address'), dataIndex: 'address', responsive: ['md'] },
    { key: 'site', title: t('common.site'), render: (_, r) => dir.sites.get(r.site)?.name ?? r.site, responsive: ['lg'] },
    {
      key: 'alerts',
      title: t('residents.openAlerts'),
      align: 'center',
      render: (_, r) => (
        <Flex gap={4} justify="center" wrap>
          {r.unresolvedAlerts > 0 ? <Tag color="red">{r.unresolvedAlerts}</Tag> : <span className="hb-muted">0</span>}
          {r.awayNow ? <Tag color="purple">{t('residents.awayNow')}</Tag> : null}
        </Flex>
      ),
      width: 120,
    },
  ];

  return (
    <div className="hb-page">
      <Flex justify="space-between" align="center" wrap gap={8} className="hb-page-head">
        <Typography.Title level={3} className="hb-page-title">
          {t('residents.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('residents.count', { count: rows.length })}</Typography.Text>
      </Flex>
      <Flex gap={8} wrap className="hb-filters">
        <Segmented<RiskColour | 'all'>
          value={colour}
          onChange={setColour}
          options={[
            { value: 'all', label: `${t('common.all')} ${dir.residents.length}` },
            ...[...RISK_COLOURS].reverse().map((c) => ({ value: c, label: <span className={`hb-seg-${c}`}>{`${t(`riskShort.${c}`)} ${counts[c]}`}</span> })),
          ]}
          className="hb-risk-filter"
        />
        <Input.Search allowClear placeholder={t('alerts.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} className="hb-search" />
        <Checkbox checked={onlyAway} onChange={(e) => setOnlyAway(e.target.checked)}>
          {t('residents.onlyAway')}
        </Checkbox>
        <Checkbox checked={onlyAlerts} onChange={(e) => setOnlyAlerts(e.target.checked)}>
          {t('residents.onlyAlerts')}
        </Checkbox>
      </Flex>
      {dir.error ? <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(dir.error) })} /> : null}
      <Table<ResidentView>
        rowKey="id"
        size="middle"
        loading={!dir.loaded}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('residents.empty') }}
        onRow={(r) => ({ onClick: () => navigate(`/residents/${encodeURIComponent(r.id)}`), className: 'hb-clickable', 'data-resident': r.id })}
      />
    </div>
  );
}
