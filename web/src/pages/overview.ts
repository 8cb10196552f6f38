// Overview: headline system metrics against target with RAG and trend, place and sector tiles.
import { api, type MetricDefinition, type MetricResult } from '../api';
import { byMonthEnd, fetchBenchmarks, notLoadedNotice, pct, regionName, standingText, type BenchmarksResponse } from '../benchmarks';
import { lineChart, NHS, PALETTE } from '../charts';
import { html, raw, type Raw } from '../dom';
import { basisLabel, metricValue, monthLabel, num, shortMonth } from '../format';
import { basisDigits, coverageText, financialYear, ragFor, trendText, valueLink } from '../metrics-util';
import { dataTable, ragTag, statCard } from '../ui';
import type { Route } from '../main';

const HEADLINE = ['sip_fte', 'vacancy_rate', 'turnover_rate', 'sickness_absence_rate', 'agency_share_of_pay', 'stability_index', 'system_retention_rate', 'sip_headcount', 'age_55_plus_share'];
const TILE_METRICS = ['sip_headcount', 'sip_fte', 'vacancy_rate', 'turnover_rate', 'sickness_absence_rate'];

function addMonths(monthEnd: string, n: number): string {
  const [y, m] = monthEnd.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  const yy = Math.floor(idx / 12), mm = (idx % 12) + 1;
  return `${yy}-${String(mm).padStart(2, '0')}-${String(new Date(Date.UTC(yy, mm, 0)).getUTCDate()).padStart(2, '0')}`;
}

export async function overviewPage(main: HTMLElement, _route: Route): Promise<void> {
  const [cat, defs, outcomes] = await Promise.all([api.catalog(), api.definitions(), api.outcomes({ scope: 'system' })]);
  const at = cat.latest_month;
  if (!at) {
    main.innerHTML = html`<h1>Workforce overview</h1><p class="nhsuk-body">No data has been imported yet. Use <code>careforce import</code> to load a submission.</p>`.html;
    return;
  }
  const defOf = new Map(defs.map((d) => [d.name, d]));
  const headline = HEADLINE.filter((m) => defOf.has(m));
  const tileMetrics = TILE_METRICS.filter((m) => defOf.has(m));
  const yearAgo = addMonths(at, -12);
  const fy = financialYear(at);
  const [now, before, byPlace, bySector, fteSeries, bench] = await Promise.all([
    api.metrics({ metric: headline.join(','), at }),
    api.metrics({ metric: headline.join(','), at: yearAgo }).catch(() => null),
    api.metrics({ metric: tileMetrics.join(','), at, by: 'place' }),
    api.metrics({ metric: tileMetrics.join(','), at, by: 'sector' }),
    defOf.has('sip_fte') ? api.series({ metric: 'sip_fte', from: addMonths(at, -23), to: at }) : Promise.resolve(null),
    fetchBenchmarks(),
  ]);
  // England and region beside a headline when a benchmark is published for that month.
  const benchAt = (metric: string) => byMonthEnd(bench?.metrics.find((m) => m.metric === metric)).get(at);
  const headBench = headline.some((m) => benchAt(m)?.england);
  const headRegion = headBench && headline.some((m) => benchAt(m)?.region);
  const region = bench ? regionName(bench) : 'Region';

  const directionOf = (metric: string): string => outcomes.indicators.find((i) => i.indicator === metric)?.direction ?? 'neutral';
  const target = (metric: string): number | null => outcomes.rows.find((r) => r.indicator === metric && r.scope === 'system' && r.year === fy)?.target ?? null;

  const cards: Raw[] = [];
  const tableRows: (Raw | string)[][] = [];
  const tableData: (string | number | null)[][] = [];
  for (const metric of headline) {
    const def = defOf.get(metric) as MetricDefinition;
    const results = now.results.filter((r) => r.metric === metric);
    const main0 = results.find((r) => r.available) ?? results[0];
    if (!main0) continue;
    const prev = before?.results.find((r) => r.metric === metric && r.basis === main0.basis) ?? null;
    const t = target(metric);
    const rag = ragFor(main0.value, t, directionOf(metric));
    const trend = trendText(def, directionOf(metric), main0.value, prev?.value ?? null, shortMonth(yearAgo));
    const others = results.filter((r) => r !== main0 && r.available);
    cards.push(statCard({
      id: `card-${metric}`,
      title: def.label,
      href: `#/explorer?metric=${metric}`,
      value: html`${valueLink(def, main0)}${results.length > 1 ? html` <span class="cf-basis">(${basisLabel(main0.basis)} basis)</span>` : ''}`,
      lines: [
        t !== null ? html`Target ${fy}: ${metricValue(def, t)} ${ragTag(rag)}` : html`No target set ${ragTag('none')}`,
        html`<span class="cf-trend ${trend.good === null ? '' : trend.good ? 'cf-trend--good' : 'cf-trend--bad'}">${trend.text}${trend.good === null ? '' : trend.good ? ' (better)' : ' (worse)'}</span>`,
        ...others.map((o) => html`${basisLabel(o.basis)} basis: ${valueLink(def, o)}`),
        `Coverage: ${coverageText(main0)} organisations`,
      ],
    }));
    for (const r of results) {
      const b = r === main0 ? benchAt(metric) : undefined;
      tableRows.push([def.label + (results.length > 1 ? ` (${basisLabel(r.basis)})` : ''), valueLink(def, r), t !== null ? metricValue(def, t) : '–', ragTag(r === main0 ? rag : ragFor(r.value, t, directionOf(metric))), metricValue(def, prev && r === main0 ? prev.value : before?.results.find((x) => x.metric === metric && x.basis === r.basis)?.value ?? null), ...(headBench ? [b?.england ? `${b.england.value_text}%` : '–'] : []), ...(headRegion ? [b?.region ? `${b.region.value_text}%` : '–'] : []), num(r.numerator, basisDigits(r.basis)), num(r.denominator, basisDigits(r.basis)), coverageText(r)]);
      tableData.push([def.label, r.basis, r.value, t, r === main0 ? rag : ragFor(r.value, t, directionOf(metric)), before?.results.find((x) => x.metric === metric && x.basis === r.basis)?.value ?? null, ...(headBench ? [b?.england?.value ?? null] : []), ...(headRegion ? [b?.region?.value ?? null] : []), r.numerator, r.denominator, r.coverage_orgs, r.total_orgs]);
    }
  }

  const tile = (title: string, href: string, results: MetricResult[], id: string): Raw => {
    const lines = tileMetrics.flatMap((m) => {
      const def = defOf.get(m) as MetricDefinition;
      return results.filter((r) => r.metric === m && r.available).map((r) => html`<span class="cf-tile__label">${def.label}${results.filter((x) => x.metric === m && x.available).length > 1 ? ` (${basisLabel(r.basis)})` : ''}</span> <span class="cf-tile__value">${valueLink(def, r)}</span>`);
    });
    return html`<div class="nhsuk-card cf-tile" id="${id}"><div class="nhsuk-card__content">
      <h3 class="nhsuk-card__heading nhsuk-heading-s"><a class="nhsuk-card__link" href="${href}">${title}</a></h3>
      <ul class="nhsuk-list cf-tile__list">${lines.map((l) => html`<li>${l}</li>`)}</ul>
    </div></div>`;
  };
  const placeTiles = cat.places.map((p) => tile(p.place, `#/explorer?metric=sip_fte&scope=place:${encodeURIComponent(p.place)}`, byPlace.results.filter((r) => r.scope === p.place), `place-${p.place}`));
  const sectorTiles = cat.sectors.filter((s) => s.org_count > 0).map((s) => tile(s.label, `#/explorer?metric=sip_fte&scope=sector:${s.sector}`, bySector.results.filter((r) => r.scope === s.sector), `sector-${s.sector}`));

  main.innerHTML = html`
    <span class="nhsuk-caption-l">${cat.ics_name}</span>
    <h1 class="nhsuk-heading-l">Workforce overview, ${monthLabel(at)}</h1>
    <p class="nhsuk-body-l">Headline figures for the whole system against the ${fy} targets of the outcomes framework, with the change on a year earlier. Select a figure to see how it is calculated.</p>
    <h2 class="nhsuk-heading-m">System headlines</h2>
    <div class="cf-cards">${cards}</div>
    <h2 class="nhsuk-heading-m">Staff in post over two years</h2>
    <div class="cf-chart" id="overview-fte-chart"></div>
    ${dataTable({ id: 'overview-headlines', caption: `System headline figures, ${monthLabel(at)}`, head: ['Metric', 'Value', `Target ${fy}`, 'Rating', shortMonth(yearAgo), ...(headBench ? ['England'] : []), ...(headRegion ? [region] : []), 'Numerator', 'Denominator', 'Coverage (organisations)'], cells: tableRows, data: { columns: ['metric', 'basis', 'value', 'target', 'rag', 'value_year_earlier', ...(headBench ? ['england_value'] : []), ...(headRegion ? ['region_value'] : []), 'numerator', 'denominator', 'coverage_orgs', 'total_orgs'], rows: tableData }, filename: `careforce-overview-${at}`, numericFrom: 1 })}
    ${benchmarkSection(bench, defOf)}
    <h2 class="nhsuk-heading-m">Places</h2>
    <div class="cf-cards cf-cards--tiles">${placeTiles}</div>
    <h2 class="nhsuk-heading-m">Sectors</h2>
    <div class="cf-cards cf-cards--tiles">${sectorTiles}</div>
  `.html;

  if (fteSeries) {
    const el = main.querySelector<HTMLElement>('#overview-fte-chart') as HTMLElement;
    const pts = fteSeries.points;
    lineChart(el, {
      label: `Line chart of staff in post (FTE) for the system from ${monthLabel(pts[0].period_end)} to ${monthLabel(at)}: ${num(pts[0].value, 0)} to ${num(pts[pts.length - 1].value, 0)} FTE. The table below lists the headline figures.`,
      categories: pts.map((p) => shortMonth(p.period_end)),
      series: [{ name: 'Staff in post (FTE)', data: pts.map((p) => p.value) }],
      yName: 'FTE',
      digits: 0,
    });
  }
  drawBenchmarkChart(main, bench);
  void raw;
}

/** The metric shown in the benchmark chart: own figures beside England over the most months. */
function chartMetric(bench: BenchmarksResponse | null) {
  if (!bench?.loaded) return undefined;
  const score = (m: BenchmarksResponse['metrics'][number]): number => m.months.filter((x) => x.england).length + 100 * m.months.filter((x) => x.own?.value != null && x.england).length;
  return [...bench.metrics].sort((a, b) => score(b) - score(a)).find((m) => m.months.some((x) => x.england));
}

/** National benchmarks: for each benchmarked metric its latest published month, our own
 * figure beside England and the region, and where it stands among the ICSs. */
function benchmarkSection(bench: BenchmarksResponse | null, defOf: Map<string, MetricDefinition>): Raw {
  const heading = html`<h2 class="nhsuk-heading-m" id="benchmarks-heading">National benchmarks</h2>`;
  if (!bench || !bench.loaded) return html`${heading}${notLoadedNotice(bench, 'overview-benchmarks-notice')}`;
  const region = regionName(bench);
  const who = bench.identity.ics_name ? `${bench.identity.ics_name} (${bench.identity.ics_code})` : null;
  const rows = bench.metrics.map((m) => {
    const withOwn = [...m.months].reverse().find((x) => x.own?.value != null && x.england);
    const month = withOwn ?? m.months[m.months.length - 1];
    return { m, month };
  }).filter((r) => r.month);
  const label = (metric: string, fallback: string): string => defOf.get(metric)?.label ?? fallback;
  const chosen = chartMetric(bench);
  return html`${heading}
    <p class="nhsuk-body">Published NHS Digital figures for England${bench.identity.region_code ? ` and ${region}` : ''} beside our own${who ? `, and the published figure of ${who}` : ''}. Rank 1 is the lowest value; quartile 1 the lowest quarter.</p>
    ${chosen ? html`<h3 class="nhsuk-heading-s" id="overview-benchmark-chart-heading">${label(chosen.metric, chosen.label)}: our ICS beside England${bench.identity.region_code ? ` and ${region}` : ''}, by month</h3>
    <div class="cf-chart" id="overview-benchmark-chart" data-chart="benchmarks"></div>` : ''}
    ${dataTable({
    id: 'overview-benchmarks', caption: 'Our figures beside the published national benchmarks, latest month compared',
    head: ['Metric', 'Month', 'Standing (rank 1 = lowest)', 'Our figure', ...(who ? ['Published, our ICS'] : []), 'England', region],
    cells: rows.map(({ m, month }) => [label(m.metric, m.label), monthLabel(month.period_end),
      month.peers.length ? html`${month.peers.map((s, i) => html`${i ? html`<br>` : ''}${s.of === 'own' ? 'Our figure' : 'Published'}, ${s.label}: ${s.rank} of ${s.count}, quartile ${s.quartile}`)}` : '–',
      m.own_comparable ? pct(month.own?.value, 2) : 'Not comparable', ...(who ? [month.published ? `${month.published.value_text}%` : '–'] : []),
      month.england ? `${month.england.value_text}%` : '–', month.region ? `${month.region.value_text}%` : '–']),
    data: {
      columns: ['metric', 'benchmark_metric', 'period', 'own_value', 'published_value', 'england_value', 'region_value', 'standing'],
      rows: rows.map(({ m, month }) => [m.metric, m.benchmark_metric, month.period, month.own?.value ?? null, month.published?.value ?? null, month.england?.value ?? null, month.region?.value ?? null, month.peers.map(standingText).join('; ')]),
    },
    filename: 'careforce-benchmarks', numericFrom: 3,
  })}`;
}

function drawBenchmarkChart(main: HTMLElement, bench: BenchmarksResponse | null): void {
  const m = chartMetric(bench);
  const el = main.querySelector<HTMLElement>('#overview-benchmark-chart');
  if (!m || !el || !bench) return;
  const region = regionName(bench);
  const months = m.months;
  const series = [
    ...(m.own_comparable ? [{ name: 'Our ICS', data: months.map((x) => x.own?.value ?? null), color: PALETTE[0] }] : []),
    { name: 'England', data: months.map((x) => x.england?.value ?? null), color: NHS.grey, dashed: true },
    ...(months.some((x) => x.region) ? [{ name: region, data: months.map((x) => x.region?.value ?? null), color: NHS.purple, dashed: true }] : []),
    ...(months.some((x) => x.published) ? [{ name: `${bench.identity.ics_name ?? 'Our ICS'} (published)`, data: months.map((x) => x.published?.value ?? null), color: NHS.aqua, dashed: true }] : []),
  ];
  const last = months[months.length - 1];
  lineChart(el, {
    label: `Line chart of ${m.label} from ${monthLabel(months[0].period_end)} to ${monthLabel(last.period_end)}: ${m.own_comparable ? 'our own figure, ' : ''}England${months.some((x) => x.region) ? ` and ${region}` : ''}${months.some((x) => x.published) ? ` and the published figure of ${bench.identity.ics_name ?? 'our ICS'}` : ''} (dashed, published). In ${monthLabel(last.period_end)} England was ${last.england?.value_text ?? '–'}%. The table below gives the latest month compared.`,
    categories: months.map((x) => shortMonth(x.period_end)),
    series,
    yName: '%',
    digits: 2,
  });
}
