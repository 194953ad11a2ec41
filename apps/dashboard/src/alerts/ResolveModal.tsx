import { useState } from 'react';
import { Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Outcome } from '@hearthbeat/contracts';
import type { AlertView } from '../api/schemas';
import { ruleLabel } from '../common/labels';
import { useDirectory } from '../directory/DirectoryContext';
import { outcomesFor } from './outcomes';

interface Props {
  alert: AlertView | undefined;
  onCancel(): void;
  onResolve(id: string, outcome: Outcome, note: string): Promise<unknown>;
}

/**
 * Resolving means recording what the person at the door found (domain.md: "the platform's job ends
 * with a person at the door and an outcome recorded"), so the outcome is required. Radio buttons, not
 * a drop-down: every choice is visible and easy to tap on a phone.
 */
export function ResolveModal({ alert, onCancel, onResolve }: Props) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const [form] = Form.useForm<{ outcome: Outcome; note?: string }>();
  const [saving, setSaving] = useState(false);
  const kind = alert ? dir.ownerOf(alert)?.type : undefined;

  const submit = async () => {
    if (!alert) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await onResolve(alert.id, v.outcome, v.note?.trim() ?? '');
      form.resetFields();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={alert !== undefined}
      title={alert ? `${t('alerts.actions.resolveTitle')} · ${ruleLabel(t, alert.rule)}` : ''}
      okText={t('alerts.actions.confirmResolve')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onCancel}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} className="hb-resolve-form">
        <Form.Item name="outcome" label={t('alerts.actions.outcome')} rules={[{ required: true, message: t('alerts.actions.outcomePlaceholder') }]}>
          <Radio.Group
            className="hb-outcomes"
            options={outcomesFor(kind).map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('alerts.actions.note')}>
          <Input.TextArea rows={2} maxLength={2000} placeholder={t('alerts.actions.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
