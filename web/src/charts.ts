// ECharts wrappers: time series, breakdown bars and P10-P90 fan charts, drawn as SVG.
// Every chart has a text alternative (role="img" + aria-label) and a data table beside it.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

export const NHS = {
  blue: '#005eb8', darkBlue: '#003087', green: '#007f3b', red: '#d5281b', warmYellow: '#ffb81c',
  purple: '#330072', aqua: '#00a499', grey: '#4c6272', midGrey: '#768692', paleGrey: '#e8edee', pink: '#ae2573', orange: '#ed8b00',
};
export const PALETTE = [NHS.blue, NHS.orange, NHS.aqua, NHS.purple, NHS.pink, NHS.darkBlue, NHS.green, NHS.grey];

const live = new Set<echarts.ECharts>();
window.addEventListener('resize', () => live.forEach((c) => c.resize()));

/** Dispose every chart (called when the page changes). */
export function disposeCharts(): void {
  live.forEach((c) => c.dispose());
  live.clear();
}

/** The chart of a container, reused when it exists (cheaper than re-creating it). */
function init(el: HTMLElement, label: string, points: number): echarts.ECharts {
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  el.dataset.points = String(points);
  const existing = echarts.getInstanceByDom(el);
  if (existing && live.has(existing)) {
    existing.clear();
    return existing;
  }
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  live.add(chart);
  return chart;
}

const baseText = { fontFamily: 'Arial, sans-serif', color: '#212b32' };

export interface LineSeries { name: string; data: (number | null)[]; color?: string; dashed?: boolean }

/** A line chart over categories (months or years). */
export function lineChart(el: HTMLElement, opts: { label: string; categories: string[]; series: LineSeries[]; yName?: string; target?: number | null; digits?: number }): echarts.ECharts {
  const points = opts.series.reduce((a, s) => a + s.data.filter((v) => v !== null).length, 0);
  const chart = init(el, opts.label, points);
  chart.setOption({
    animation: false,
    textStyle: baseText,
    aria: { enabled: false },
    grid: { left: 64, right: 24, top: 40, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: opts.digits ?? 1 }) : '–') },
    legend: opts.series.length > 1 ? { top: 0, textStyle: baseText } : undefined,
    xAxis: { type: 'category', data: opts.categories, axisLabel: { color: '#4c6272' } },
    yAxis: { type: 'value', name: opts.yName, scale: true, nameTextStyle: { color: '#4c6272' }, axisLabel: { color: '#4c6272' } },
    series: opts.series.map((s, i) => ({
      name: s.name, type: 'line', data: s.data, connectNulls: false, symbolSize: 5,
      lineStyle: { width: 2.5, type: s.dashed ? 'dashed' : 'solid', color: s.color ?? PALETTE[i % PALETTE.length] },
      itemStyle: { color: s.color ?? PALETTE[i % PALETTE.length] },
      markLine: i === 0 && opts.target != null ? { symbol: 'none', label: { formatter: 'Target', color: NHS.red }, lineStyle: { color: NHS.red, type: 'dashed' }, data: [{ yAxis: opts.target }] } : undefined,
    })),
  });
  return chart;
}

/** A horizontal bar chart; clicking a bar calls onClick with its index. */
export function barChart(el: HTMLElement, opts: { label: string; categories: string[]; values: (number | null)[]; onClick?: (index: number) => void; digits?: number }): echarts.ECharts {
  const chart = init(el, opts.label, opts.values.filter((v) => v !== null).length);
  el.style.height = `${Math.max(220, 34 * opts.categories.length + 60)}px`;
  chart.resize();
  chart.setOption({
    animation: false,
    textStyle: baseText,
    aria: { enabled: false },
    grid: { left: 8, right: 48, top: 10, bottom: 30, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: opts.digits ?? 1 }) : 'Not available') },
    xAxis: { type: 'value', axisLabel: { color: '#4c6272' } },
    yAxis: { type: 'category', data: opts.categories, inverse: true, axisLabel: { color: '#212b32', width: 220, overflow: 'truncate' } },
    series: [{ type: 'bar', data: opts.values, itemStyle: { color: NHS.blue }, emphasis: { itemStyle: { color: NHS.darkBlue } }, cursor: opts.onClick ? 'pointer' : 'default',
      label: { show: true, position: 'right', color: '#212b32', formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? p.value.toLocaleString('en-GB', { maximumFractionDigits: opts.digits ?? 1 }) : '') } }],
  });
  chart.off('click');
  if (opts.onClick) chart.on('click', (p) => opts.onClick?.(p.dataIndex as number));
  return chart;
}

export interface Fan { name: string; p10: number[]; p50: number[]; p90: number[]; color: string; dashed?: boolean }

/** Fan chart: for each fan a shaded P10-P90 band and a P50 line. */
export function fanChart(el: HTMLElement, opts: { label: string; years: string[]; fans: Fan[]; lines?: LineSeries[]; yName?: string; compact?: boolean }): echarts.ECharts {
  const chart = init(el, opts.label, opts.fans.reduce((a, f) => a + f.p50.length, 0));
  const series: unknown[] = [];
  opts.fans.forEach((f, i) => {
    const stack = `band${i}`;
    series.push({ name: `${f.name} P10`, type: 'line', data: f.p10, stack, symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false }, silent: true });
    series.push({ name: `${f.name} P10–P90`, type: 'line', data: f.p90.map((v, k) => v - f.p10[k]), stack, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: f.color, opacity: 0.18 }, tooltip: { show: false }, silent: true });
    series.push({ name: f.name, type: 'line', data: f.p50, symbolSize: opts.compact ? 0 : 4, showSymbol: !opts.compact, lineStyle: { width: 2.5, color: f.color, type: f.dashed ? 'dashed' : 'solid' }, itemStyle: { color: f.color } });
  });
  (opts.lines ?? []).forEach((l, i) => series.push({ name: l.name, type: 'line', data: l.data, symbolSize: 4, lineStyle: { width: 2, type: l.dashed ? 'dashed' : 'solid', color: l.color ?? PALETTE[(i + 2) % PALETTE.length] }, itemStyle: { color: l.color ?? PALETTE[(i + 2) % PALETTE.length] } }));
  chart.setOption({
    animation: false,
    textStyle: baseText,
    aria: { enabled: false },
    grid: opts.compact ? { left: 52, right: 12, top: 12, bottom: 28 } : { left: 70, right: 24, top: 48, bottom: 40 },
    legend: opts.compact ? { show: false } : { top: 0, textStyle: baseText, data: [...opts.fans.map((f) => f.name), ...(opts.lines ?? []).map((l) => l.name)] },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: 0 }) : '–') },
    xAxis: { type: 'category', data: opts.years, boundaryGap: false, axisLabel: { color: '#4c6272' } },
    yAxis: { type: 'value', name: opts.yName, scale: true, nameTextStyle: { color: '#4c6272' }, axisLabel: { color: '#4c6272' } },
    series,
  });
  return chart;
}
