import EChartsReactCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart as EBarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts used here, so that the chart chunk stays small (echarts' full build is ~1 MB).
echarts.use([EBarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

export interface Bar {
  /** The axis label (`14:00`, `11-21`). */
  label: string;
  /** The tooltip's heading, when longer than the label (`11-21 14:00–14:15`). */
  title?: string;
  /** undefined: no data for this bucket (drawn as a grey stub, not as zero). */
  value: number | undefined;
}

export interface BarChartProps {
  bars: Bar[];
  /** The value's unit, on the y axis and in the tooltip (`升`, `次`); empty for none. */
  unit: string;
  /** The series' name in the legend and tooltip (`用水量`). */
  name: string;
  /** When given, buckets without data are grey stubs with this name in the legend and tooltip. */
  noDataLabel?: string;
  height?: number;
  colour?: string;
  /** Decimals in the tooltip. */
  digits?: number;
  /** A small chart: no y axis labels, no legend (the routine's day profile). */
  compact?: boolean;
  /** Marks the chart for tests: `data-bars`, `data-with-data`, `data-sum`, `data-values` (`-` for no data) on its box. */
  testId?: string;
}

const NO_DATA_COLOUR = '#bfbfbf';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A plain bar chart. Buckets without data are drawn as short grey stubs of their own legend entry, so that
 * "silent meter" never reads as "no water used" (a bucket of 0 L has no bar at all).
 */
export default function BarChart({ bars, unit, name, noDataLabel, height = 220, colour = '#1677ff', digits = 1, compact = false, testId }: BarChartProps) {
  const values = bars.map((b) => b.value).filter((v): v is number => v !== undefined);
  const max = Math.max(0, ...values);
  const anyData = values.length > 0;
  // A grey stub a few percent of the axis high marks a bucket without data.
  const axisMax = anyData && max > 0 ? undefined : 1;
  const stub = (axisMax ?? max) * 0.05;
  const hasStubs = noDataLabel !== undefined && bars.some((b) => b.value === undefined);
  const format = (v: number) => `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
  const option: Option = {
    animation: false,
    grid: compact ? { left: 4, right: 4, top: 4, bottom: 20 } : { left: 8, right: 12, top: hasStubs ? 36 : 24, bottom: 4, containLabel: true },
    legend: compact || !hasStubs ? { show: false } : { show: true, top: 0, right: 0, itemWidth: 12, itemHeight: 10, data: [name, noDataLabel ?? ''] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const bar = first ? bars[first.dataIndex] : undefined;
        if (!bar) return '';
        const line = bar.value === undefined ? (noDataLabel ?? '') : `${escapeHtml(name)}: ${format(bar.value)}`;
        return `${escapeHtml(bar.title ?? bar.label)}<br/>${escapeHtml(line)}`;
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisTick: { show: false },
      axisLabel: { hideOverlap: true, fontSize: compact ? 10 : 11 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      ...(axisMax !== undefined ? { max: axisMax } : {}),
      minInterval: digits === 0 ? 1 : 0,
      name: compact ? undefined : unit,
      nameGap: 8,
      nameTextStyle: { align: 'left' },
      axisLabel: { show: !compact },
      splitLine: { show: !compact },
    },
    series: [
      {
        name,
        type: 'bar',
        stack: 'one',
        data: bars.map((b) => (b.value === undefined ? '-' : b.value)),
        itemStyle: { color: colour },
        barMaxWidth: 24,
        barCategoryGap: '20%',
      },
      ...(noDataLabel !== undefined
        ? [
            {
              name: noDataLabel,
              type: 'bar' as const,
              stack: 'one',
              data: bars.map((b) => (b.value === undefined ? stub : '-')),
              itemStyle: { color: NO_DATA_COLOUR },
              barMaxWidth: 24,
            },
          ]
        : []),
    ],
  };
  const sum = values.reduce((s, v) => s + v, 0);
  return (
    <div data-testid={testId} data-bars={bars.length} data-with-data={values.length} data-sum={sum.toFixed(3)} data-values={bars.map((b) => (b.value === undefined ? '-' : String(Number(b.value.toFixed(3))))).join(',')} className="hb-chart">
      <EChartsReactCore echarts={echarts} option={option} style={{ height, width: '100%' }} notMerge />
    </div>
  );
}
