import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, List, Popconfirm, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { awayEntrySchema, type AwayView } from '../api/schemas';
import { errorMessage } from '../api/client';
import { formatDateTime } from '../common/format';
import { useLocale } from '../common/useLocale';
import { wallTimeToEpoch } from '../common/zonedTime';

const SHANGHAI = 'Asia/Shanghai';

function toSiteEpoch(d: Dayjs, zone: string): number {
  return wallTimeToEpoch({ year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute() }, zone);
}

function phase(a: AwayView, now: number): 'ended' | 'current' | 'upcoming' {
  if (a.ended || a.to <= now) return 'ended';
  return a.from <= now ? 'current' : 'upcoming';
}

interface Props {
  residentId: string;
  away: AwayView[];
  zone: string | undefined;
  onChanged(): void;
}

/**
 * Announced absences (domain.md: absence is the main source of false "no water use" alarms): add one
 * with its dates in the site's time zone, end one when the resident is back, or cancel one not begun.
 */
export function AwayCard({ residentId, away, zone, onChanged }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api, user } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ period: [Dayjs, Dayjs]; note?: string }>();
  const [saving, setSaving] = useState(false);
  const canEdit = user.role !== 'maintainer' && user.role !== 'service';
  const siteZone = zone ?? SHANGHAI;
  const now = Date.now();
  const sorted = [...away].sort((a, b) => b.from - a.from);

  const add = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const body = { from: toSiteEpoch(v.period[0], siteZone), to: toSiteEpoch(v.period[1], siteZone), ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
      await api.post(`/api/residents/${encodeURIComponent(residentId)}/away`, body, awayEntrySchema);
      void message.success(t('away.added'));
      form.resetFields();
      onChanged();
    } catch (err) {
      void message.error(t('common.actionFailed', { message: errorMessage(err) }));
    } finally {
      setSaving(false);
    }
  };

  const end = async (a: AwayView) => {
    try {
      await api.post(`/api/residents/${encodeURIComponent(residentId)}/away/${encodeURIComponent(a.id)}/end`, {}, awayEntrySchema.loose());
      void message.success(t('away.endedOk'));
      onChanged();
    } catch (err) {
      void message.error(t('common.actionFailed', { message: errorMessage(err) }));
    }
  };

  return (
    <Card title={t('away.title')} size="small" className="hb-card" data-testid="away-card">
      <List
        size="small"
        dataSource={sorted}
        locale={{ emptyText: t('away.empty') }}
        renderItem={(a) => {
          const p = phase(a, now);
          return (
            <List.Item
              data-away={a.id}
              actions={
                canEdit && p !== 'ended'
                  ? [
                      <Popconfirm key="end" title={p === 'current' ? t('away.end') : t('away.remove')} onConfirm={() => void end(a)} okText={t('common.yes')} cancelText={t('common.no')}>
                        <Button size="small">{p === 'current' ? t('away.end') : t('away.remove')}</Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Flex vertical gap={2}>
                <Flex gap={6} wrap align="center">
                  <Tag color={p === 'current' ? 'purple' : p === 'upcoming' ? 'blue' : 'default'}>{t(`away.${p}`)}</Tag>
                  <Typography.Text>
                    {formatDateTime(a.from, locale, siteZone)} – {formatDateTime(a.to, locale, siteZone)}
                  </Typography.Text>
                </Flex>
                {a.note ? <Typography.Text type="secondary">{a.note}</Typography.Text> : null}
              </Flex>
            </List.Item>
          );
        }}
      />
      {canEdit ? (
        <Form form={form} layout="vertical" className="hb-away-form" requiredMark={false}>
          <Form.Item name="period" label={t('away.period')} rules={[{ required: true, message: t('away.period') }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" className="hb-full" inputReadOnly />
          </Form.Item>
          <Form.Item name="note" label={t('away.note')}>
            <Input maxLength={500} placeholder={t('away.notePlaceholder')} />
          </Form.Item>
          <Button type="primary" loading={saving} onClick={() => void add()}>
            {t('away.add')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
