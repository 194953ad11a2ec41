import { Badge, Button, Dropdown, Grid, Layout, Menu, Skeleton } from 'antd';
import { AlertOutlined, ApiOutlined, HomeOutlined, LogoutOutlined, UserOutlined, VerticalAlignMiddleOutlined } from '@ant-design/icons';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useAuth, useSession } from '../auth/AuthContext';
import { useAlerts } from '../alerts/AlertsContext';
import { CriticalBanner } from '../alerts/CriticalBanner';
import { SoundToggle } from '../alerts/SoundToggle';
import { ConnectionBadge, ConnectionBanner } from '../live/ConnectionStatus';
import { LanguageSwitch } from './LanguageSwitch';

interface NavItem {
  key: string;
  path: string;
  icon: ReactNode;
  label: string;
  badge?: number;
}

/** Pages by role: staff and supervisors get residents, maintainers elevators, admins both. */
function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { kinds } = useSession();
  const feed = useAlerts();
  const open = feed.alerts.filter((a) => a.state === 'open').length;
  return [
    { key: 'alerts', path: '/alerts', icon: <AlertOutlined />, label: t('nav.alerts'), badge: open },
    ...(kinds.includes('resident') ? [{ key: 'residents', path: '/residents', icon: <HomeOutlined />, label: t('nav.residents') }] : []),
    ...(kinds.includes('elevator') ? [{ key: 'elevators', path: '/elevators', icon: <VerticalAlignMiddleOutlined />, label: t('nav.elevators') }] : []),
    { key: 'devices', path: '/devices', icon: <ApiOutlined />, label: t('nav.devices') },
  ];
}

/**
 * The frame of every signed-in page. On a desk: a top bar with the navigation. On a phone (~390 px):
 * a compact top bar and a bottom tab bar within thumb reach. The connection and critical-alert
 * banners sit above every page.
 */
export function AppShell() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const location = useLocation();
  const { user } = useSession();
  const { logout } = useAuth();
  const items = useNavItems();
  const current = items.find((i) => location.pathname.startsWith(i.path))?.key ?? 'alerts';

  const userMenu = {
    items: [
      { key: 'who', label: t('auth.signedInAs', { name: user.name ?? user.id, role: t(`role.${user.role}`) }), disabled: true },
      { type: 'divider' as const },
      { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), onClick: logout },
    ],
  };

  return (
    <Layout className={`hb-shell ${phone ? 'hb-phone' : 'hb-desk'}`}>
      <Layout.Header className="hb-header">
        <Link to="/alerts" className="hb-brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {phone ? null : <span>{t('app.name')}</span>}
        </Link>
        {phone ? (
          <div className="hb-grow" />
        ) : (
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[current]}
            className="hb-menu"
            items={items.map((i) => ({
              key: i.key,
              icon: i.icon,
              label: (
                <Link to={i.path} data-nav={i.key}>
                  {i.label}
                  {i.badge ? <Badge count={i.badge} size="small" offset={[6, -2]} /> : null}
                </Link>
              ),
            }))}
          />
        )}
        <div className="hb-header-tools">
          <ConnectionBadge compact={phone} />
          <SoundToggle compact={phone} />
          <LanguageSwitch compact={phone} />
          <Dropdown menu={userMenu} trigger={['click']}>
            <Button icon={<UserOutlined />} data-testid="user-menu">
              {phone ? null : (user.name ?? user.id)}
            </Button>
          </Dropdown>
        </div>
      </Layout.Header>
      <ConnectionBanner />
      <Layout.Content className="hb-content">
        <CriticalBanner />
        <Suspense fallback={<Skeleton active />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
      {phone ? (
        <nav className="hb-tabbar" aria-label="main">
          {items.map((i) => (
            <Link key={i.key} to={i.path} className={`hb-tab ${i.key === current ? 'hb-tab-active' : ''}`} data-nav={i.key}>
              <Badge count={i.badge ?? 0} size="small">
                <span className="hb-tab-icon">{i.icon}</span>
              </Badge>
              <span className="hb-tab-label">{i.label}</span>
            </Link>
          ))}
        </nav>
      ) : null}
    </Layout>
  );
}
