import EChartsReactCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart as EBarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts used here, so that the chart chunk stays small (echarts' full build is ~1 MB).
echarts.use([EBarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface Bar {
  label: string;
  /** undefined: no data for this bucket (drawn as a grey stub, not as zero). */
  value: number | undefined;
}

export interface BarChartProps {
  bars: Bar[];
  unit: string;
  noDataLabel: string;
  height?: number;
  colour?: string;
}

/** A plain bar chart; buckets without data are drawn grey so that "silent meter" never reads as "no water used". */
export default function BarChart({ bars, unit, noDataLabel, height = 220, colour = '#1677ff' }: BarChartProps) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  // A grey stub a few percent high marks a bucket without data; its tooltip says so.
  const stub = max * 0.04;
  const option: Option = {
    grid: { left: 44, right: 12, top: 16, bottom: 28 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: unit, nameGap: 8 },
    series: [
      {
        type: 'bar',
        stack: 'one',
        data: bars.map((b) => (b.value === undefined ? '-' : b.value)),
        itemStyle: { color: colour },
        barMaxWidth: 24,
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)} ${unit}` : '') },
      },
      {
        type: 'bar',
        stack: 'one',
        data: bars.map((b) => (b.value === undefined ? stub : '-')),
        itemStyle: { color: '#d9d9d9' },
        barMaxWidth: 24,
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? noDataLabel : '') },
      },
    ],
  };
  return <EChartsReactCore echarts={echarts} option={option} style={{ height, width: '100%' }} notMerge />;
}
