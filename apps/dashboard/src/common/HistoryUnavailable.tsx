import { Empty, Typography } from 'antd';
import { LineChartOutlined } from '@ant-design/icons';

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
