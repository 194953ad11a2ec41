import type { ReactNode } from 'react';
import { Alert, Empty, Spin, Typography } from 'antd';
import { LineChartOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { isUnavailable, type HistoryAnswer } from '../history/historyApi';

/** The honest empty state when the engine has no history route (yet): never an empty chart that looks like "zero". */
export function HistoryUnavailable({ title, hint }: { title: string; hint?: string }) {
  return (
    <Empty
      className="hb-history-unavailable"
      data-testid="history-unavailable"
      image={<LineChartOutlined className="hb-empty-icon" />}
      description={
        <>
          <Typography.Text>{title}</Typography.Text>
          {hint ? (
            <div>
              <Typography.Text type="secondary" className="hb-small">
                {hint}
              </Typography.Text>
            </div>
          ) : null}
        </>
      }
    />
  );
}

/**
 * The body of a history card: "history not available" (no route, or no store), the load error, a
 * placeholder while loading (a spinner unless given), else `children` of the answer. A failed re-read
 * keeps showing the last answer.
 */
export function HistoryBody<T>({
  state,
  unavailableTitle,
  loading,
  children,
}: {
  state: { data: HistoryAnswer<T> | undefined; error: unknown };
  unavailableTitle: string;
  loading?: ReactNode;
  children: (answer: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const { data, error } = state;
  if (isUnavailable(data)) return <HistoryUnavailable title={unavailableTitle} hint={t(data.unavailable === 'no_store' ? 'history.noStore' : 'history.noRoute')} />;
  if (error && !data) return <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(error) })} />;
  if (data === undefined) return <>{loading ?? <Spin />}</>;
  return <>{children(data)}</>;
}
