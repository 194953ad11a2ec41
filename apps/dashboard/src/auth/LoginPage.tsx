import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { z } from 'zod';
import { ApiError, errorMessage } from '../api/client';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { useAuth } from './AuthContext';

const fromState = z.object({ from: z.string().startsWith('/') });

export function LoginPage() {
  const { t } = useTranslation();
  const { session, login, notice } = useAuth();
  const location = useLocation();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  if (session) {
    const back = fromState.safeParse(location.state);
    return <Navigate to={back.success && back.data.from !== '/login' ? back.data.from : '/'} replace />;
  }

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(v.username.trim(), v.password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('auth.failed'));
      else if (err instanceof ApiError && err.status === 429) setError(t('auth.throttled', { seconds: err.retryAfterS ?? 1 }));
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hb-login">
      <div className="hb-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="hb-login-card">
        <div className="hb-login-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <Typography.Title level={3} className="hb-page-title">
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
        </div>
        {notice === 'expired' ? <Alert type="warning" showIcon title={t('auth.expired')} className="hb-login-alert" /> : null}
        {error ? <Alert type="error" showIcon title={error} className="hb-login-alert" data-testid="login-error" /> : null}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)} requiredMark={false} size="large">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.required', { field: t('auth.username') }) }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" name="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.required', { field: t('auth.password') }) }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" name="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
