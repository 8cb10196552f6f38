// Metric explorer: any metric as a monthly series and as a breakdown, each with its table.
import { api, type Breakdown, type Catalog, type MetricDefinition, type MetricResult, type ScopeType } from '../api';
import { BENCHMARKED, byMonthEnd, fetchBenchmarks, notLoadedNotice, regionName, standingLines, type BenchmarksResponse } from '../benchmarks';
import { barChart, lineChart, NHS, PALETTE, type LineSeries } from '../charts';
import { byId, html, raw } from '../dom';
import { basisLabel, isCount, metricValue, monthLabel, num, roleLabel, scopeLabel, shortMonth, staffGroupLabel } from '../format';
import { navigate, type Route } from '../main';
import { basisDigits, coverageText, memberLabel, valueLink } from '../metrics-util';
import { dataTable, selectField, type Option } from '../ui';

interface State { metric: string; area: string; staff_group: string; role_code: string; by: Breakdown; at: string; basis: string; months: number }

const BY_LABEL: Record<Breakdown, string> = { place: 'Place', sector: 'Sector', org: 'Organisation', staff_group: 'Staff group', role: 'Role' };

function splitArea(area: string): { scope_type: ScopeType; scope: string } {
  if (area === 'system' || !area.includes(':')) return { scope_type: 'system', scope: 'system' };
  const i = area.indexOf(':');
  return { scope_type: area.slice(0, i) as ScopeType, scope: area.slice(i + 1) };
}

function defaultBy(scopeType: ScopeType, staffGroup: string): Breakdown {
  if (scopeType === 'system') return 'place';
  if (scopeType === 'place' || scopeType === 'sector') return 'org';
  return staffGroup === 'all' ? 'staff_group' : 'role';
}

function areaOptions(cat: Catalog, sel: string): string {
  const opt = (value: string, label: string): string => html`<option value="${value}"${value === sel ? raw(' selected') : ''}>${label}</option>`.html;
  return [
    opt('system', `Whole system (${cat.ics_name})`),
    `<optgroup label="Places">${cat.places.map((p) => opt(`place:${p.place}`, p.place)).join('')}</optgroup>`,
    `<optgroup label="Sectors">${cat.sectors.filter((s) => s.org_count > 0).map((s) => opt(`sector:${s.sector}`, s.label)).join('')}</optgroup>`,
    `<optgroup label="Organisations">${cat.organisations.map((o) => opt(`org:${o.org_code}`, o.org_name)).join('')}</optgroup>`,
  ].join('');
}

export async function explorerPage(main: HTMLElement, route: Route): Promise<void> {
  const [cat, defs] = await Promise.all([api.catalog(), api.definitions()]);
  const p = route.params;
  const metric = defs.some((d) => d.name === p.get('metric')) ? (p.get('metric') as string) : defs.find((d) => d.name === 'turnover_rate')?.name ?? defs[0].name;
  const def = defs.find((d) => d.name === metric) as MetricDefinition;
  const area = p.get('scope') ?? 'system';
  const { scope_type, scope } = splitArea(area);
  let staff_group = p.get('staff_group') ?? 'all';
  const role_code = p.get('role_code') ?? 'all';
  if (role_code !== 'all') staff_group = cat.roles.find((r) => r.role_code === role_code)?.staff_group ?? staff_group;
  const by = ((p.get('by') as Breakdown | null) ?? defaultBy(scope_type, staff_group)) as Breakdown;
  const at = p.get('at') ?? cat.latest_month ?? '';
  const monthsBack = Number(p.get('months') ?? '24');
  const state: State = { metric, area, staff_group, role_code, by, at, basis: p.get('basis') ?? '', months: monthsBack };

  // Pick the basis: the one asked for, else the first with data in this scope.
  const scopeQuery = { scope_type, scope: scope_type === 'system' ? undefined : scope, staff_group, role_code };
  const headline = await api.metrics({ metric, at, ...scopeQuery });
  const bases = [...new Set(headline.results.map((r) => r.basis))];
  const basis = state.basis && bases.includes(state.basis) ? state.basis : (headline.results.find((r) => r.available) ?? headline.results[0]).basis;
  const head = headline.results.find((r) => r.basis === basis) ?? headline.results[0];

  const monthIdx = cat.months.indexOf(at);
  const from = cat.months[Math.max(0, monthIdx - (monthsBack - 1))] ?? at;
  const breakdownBy: Breakdown = by === 'role' && staff_group === 'all' && role_code === 'all' ? 'staff_group' : by;
  const breakdownQuery = { ...scopeQuery, role_code: breakdownBy === 'role' ? 'all' : role_code, staff_group: breakdownBy === 'staff_group' ? 'all' : staff_group };
  const benchmarkable = BENCHMARKED.has(metric) && (scope_type === 'system' || scope_type === 'org') && staff_group === 'all' && role_code === 'all';
  const [series, breakdown, bench] = await Promise.all([
    api.series({ metric, ...scopeQuery, from, to: at, basis }),
    api.metrics({ metric, at, ...breakdownQuery, by: breakdownBy, basis }),
    benchmarkable ? fetchBenchmarks({ metric, scope_type: scope_type as 'system' | 'org', scope: scope_type === 'org' ? scope : undefined }) : Promise.resolve(null as BenchmarksResponse | null),
  ]);

  const scopeName = scopeLabel(cat, scope_type, scope);
  const cellName = `${scopeName}${staff_group !== 'all' ? `, ${staffGroupLabel(cat, staff_group)}` : ''}${role_code !== 'all' ? `, ${roleLabel(cat, role_code)}` : ''}`;
  const metricOptions: Option[] = defs.map((d) => ({ value: d.name, label: d.label }));
  const sgOptions: Option[] = [{ value: 'all', label: 'All staff groups' }, ...cat.staff_groups.map((g) => ({ value: g.staff_group, label: g.label }))];
  const roleOptions: Option[] = [{ value: 'all', label: 'All roles' }, ...cat.roles.filter((r) => staff_group === 'all' || r.staff_group === staff_group).map((r) => ({ value: r.role_code, label: r.label }))];
  const byOptions: Option[] = (['place', 'sector', 'org', 'staff_group', 'role'] as Breakdown[]).map((b) => ({ value: b, label: BY_LABEL[b] }));
  const monthOptions: Option[] = [...cat.months].reverse().map((m) => ({ value: m, label: monthLabel(m) }));
  const basisOptions: Option[] = bases.map((b) => ({ value: b, label: basisLabel(b) }));

  const seriesRows = series.points;
  // National benchmarks beside the series (England and region), where published.
  const benchMetric = bench?.metrics.find((m) => m.metric === metric);
  const benchByMonth = byMonthEnd(benchMetric);
  const showBench = seriesRows.some((r) => benchByMonth.get(r.period_end)?.england);
  const region = bench ? regionName(bench) : 'Region';
  const showRegion = showBench && seriesRows.some((r) => benchByMonth.get(r.period_end)?.region);
  const benchMonths = benchMetric?.months ?? [];
  // The selected month, else the latest published month before it.
  const benchAt = benchByMonth.get(at) ?? [...benchMonths].reverse().find((x) => x.period_end <= at && x.england);
  const published = (v: { value_text: string } | null | undefined): string => (v && v.value_text ? `${v.value_text}%` : '–');
  let benchBox: unknown = '';
  if (benchmarkable && bench && !bench.loaded) benchBox = notLoadedNotice(bench, 'explorer-benchmarks');
  else if (benchmarkable && benchMetric) {
    benchBox = html`<div class="nhsuk-inset-text cf-benchmarks" id="explorer-benchmarks">
      <h2 class="nhsuk-heading-s">National benchmarks${benchAt ? `, ${monthLabel(benchAt.period_end)}` : ''}</h2>
      ${benchAt
    ? html`${benchAt.period_end !== at ? html`<p class="nhsuk-body-s">No figures are published for ${monthLabel(at)}; the latest published month before it is ${monthLabel(benchAt.period_end)}.</p>` : ''}
      <p class="nhsuk-body-s">${benchAt.own?.value != null ? `Our own figure ${num(benchAt.own.value, 2)}%; ` : ''}England ${published(benchAt.england)}${benchAt.region ? html`, ${region} ${published(benchAt.region)}` : ''}${benchAt.published ? html`; published figure of ${benchAt.published.name} ${published(benchAt.published)}` : ''} (NHS Digital, published).</p>
      <ul class="nhsuk-list nhsuk-body-s">${standingLines(benchAt, 'Our own figure').map((l) => html`<li>${l}</li>`)}</ul>`
    : html`<p class="nhsuk-body-s">${benchMonths.length ? `Published figures cover ${monthLabel(benchMonths[0].period_end)} to ${monthLabel(benchMonths[benchMonths.length - 1].period_end)}; choose one of those months to compare.` : 'No published figures are loaded for this metric.'}</p>`}
      <p class="nhsuk-body-s cf-muted">${benchMetric.note}</p>
    </div>`;
  }
  const breakdownRows = breakdown.results;
  const breakdownName = BY_LABEL[breakdownBy].toLowerCase();
  const drillHref = (r: MetricResult): string | null => {
    const q = new URLSearchParams({ metric, at });
    if (basis) q.set('basis', basis);
    if (breakdownBy === 'place' || breakdownBy === 'sector' || breakdownBy === 'org') {
      q.set('scope', `${r.scope_type}:${r.scope}`);
      if (staff_group !== 'all') q.set('staff_group', staff_group);
      if (role_code !== 'all') q.set('role_code', role_code);
    } else {
      if (area !== 'system') q.set('scope', area);
      q.set('staff_group', r.staff_group);
      if (breakdownBy === 'role') q.set('role_code', r.role_code);
    }
    return `#/explorer?${q}`;
  };

  main.innerHTML = html`
    <span class="nhsuk-caption-l">Metric explorer</span>
    <h1 class="nhsuk-heading-l" id="explorer-title">${def.label}: ${cellName}</h1>
    <p class="nhsuk-body">${def.description} <a href="#/definitions/${metric}">How ${def.label.toLowerCase()} is calculated</a>.</p>
    <form class="cf-controls" id="explorer-form" novalidate>
      ${selectField('ex-metric', 'Metric', metricOptions, metric)}
      <div class="nhsuk-form-group cf-field"><label class="nhsuk-label" for="ex-area">Area</label>
        <select class="nhsuk-select" id="ex-area" name="ex-area">${raw(areaOptions(cat, area))}</select></div>
      ${selectField('ex-sg', 'Staff group', sgOptions, staff_group)}
      ${selectField('ex-role', 'Role', roleOptions, role_code)}
      ${selectField('ex-at', 'Month', monthOptions, at)}
      ${bases.length > 1 ? selectField('ex-basis', 'Basis', basisOptions, basis) : ''}
      ${selectField('ex-by', 'Break down by', byOptions, breakdownBy)}
    </form>
    <div class="nhsuk-inset-text cf-headline" id="explorer-headline">
      <span class="nhsuk-u-visually-hidden">Value: </span>
      <p class="cf-stat__value">${valueLink(def, head)} <span class="cf-basis">${basisLabel(head.basis)} basis, ${monthLabel(at)}</span></p>
      <p class="nhsuk-body-s">Numerator ${num(head.numerator, basisDigits(head.basis))}${head.denominator !== null ? `, denominator ${num(head.denominator, basisDigits(head.basis))}` : ''}. Coverage: ${coverageText(head)} organisations${head.available ? '' : ' (not available: the organisations in this area do not send the files this metric needs)'}.</p>
    </div>
    ${benchBox}

    <h2 class="nhsuk-heading-m" id="series-heading">Monthly trend</h2>
    <div class="cf-chart" id="series-chart" data-chart="series"></div>
    ${dataTable({
      id: 'series-table', caption: `${def.label}, ${cellName}, by month (${basisLabel(basis)} basis)`,
      head: ['Month', 'Value', ...(showBench ? ['England'] : []), ...(showRegion ? [region] : []), 'Numerator', 'Denominator', 'Coverage (organisations)'],
      cells: seriesRows.map((r) => [monthLabel(r.period_end), valueLink(def, r), ...(showBench ? [published(benchByMonth.get(r.period_end)?.england)] : []), ...(showRegion ? [published(benchByMonth.get(r.period_end)?.region)] : []), num(r.numerator, basisDigits(r.basis)), num(r.denominator, basisDigits(r.basis)), coverageText(r)]),
      data: {
        columns: ['period_end', 'metric', 'scope_type', 'scope', 'staff_group', 'role_code', 'basis', 'value', ...(showBench ? ['england_value'] : []), ...(showRegion ? ['region_value'] : []), 'numerator', 'denominator', 'coverage_orgs', 'total_orgs', 'suppressed'],
        rows: seriesRows.map((r) => [r.period_end, r.metric, r.scope_type, r.scope, r.staff_group, r.role_code, r.basis, r.value, ...(showBench ? [benchByMonth.get(r.period_end)?.england?.value ?? null] : []), ...(showRegion ? [benchByMonth.get(r.period_end)?.region?.value ?? null] : []), r.numerator, r.denominator, r.coverage_orgs, r.total_orgs, r.suppressed ? 'yes' : 'no']),
      },
      filename: `careforce-${metric}-series`,
    })}

    <h2 class="nhsuk-heading-m" id="breakdown-heading">By ${breakdownName}, ${monthLabel(at)}</h2>
    <p class="nhsuk-body-s">Select a bar or a name to drill down.</p>
    <div class="cf-chart cf-chart--bars" id="breakdown-chart" data-chart="breakdown"></div>
    ${dataTable({
      id: 'breakdown-table', caption: `${def.label} by ${breakdownName}, ${scopeName}, ${monthLabel(at)}`,
      head: [BY_LABEL[breakdownBy], 'Value', 'Numerator', 'Denominator', 'Coverage (organisations)'],
      cells: breakdownRows.map((r) => {
        const href = drillHref(r);
        const name = memberLabel(cat, breakdownBy, r);
        return [href ? html`<a href="${href}" class="cf-drill">${name}</a>` : name, valueLink(def, r), num(r.numerator, basisDigits(r.basis)), num(r.denominator, basisDigits(r.basis)), coverageText(r)];
      }),
      data: { columns: [breakdownBy, 'metric', 'period_end', 'basis', 'value', 'numerator', 'denominator', 'coverage_orgs', 'total_orgs', 'suppressed'], rows: breakdownRows.map((r) => [memberLabel(cat, breakdownBy, r), r.metric, r.period_end, r.basis, r.value, r.numerator, r.denominator, r.coverage_orgs, r.total_orgs, r.suppressed ? 'yes' : 'no']) },
      filename: `careforce-${metric}-by-${breakdownBy}`,
    })}
  `.html;

  const digits = isCount(def) ? 0 : 1;
  const lines: LineSeries[] = [{ name: `${def.label} (${basisLabel(basis)})`, data: seriesRows.map((r) => r.value), color: PALETTE[0] }];
  if (showBench) lines.push({ name: 'England', data: seriesRows.map((r) => benchByMonth.get(r.period_end)?.england?.value ?? null), color: NHS.grey, dashed: true });
  if (showRegion) lines.push({ name: region, data: seriesRows.map((r) => benchByMonth.get(r.period_end)?.region?.value ?? null), color: NHS.purple, dashed: true });
  const benchText = showBench ? ` Dashed lines: the published England${showRegion ? ` and ${region}` : ''} figures for the months they are published.` : '';
  lineChart(byId('series-chart'), {
    label: `Line chart of ${def.label} for ${cellName}, ${monthLabel(from)} to ${monthLabel(at)}. Latest value ${metricValue(def, head.value, head.suppressed)}.${benchText} The table below gives every month.`,
    categories: seriesRows.map((r) => shortMonth(r.period_end)),
    series: lines,
    yName: def.unit,
    digits,
  });
  const available = breakdownRows;
  barChart(byId('breakdown-chart'), {
    label: `Bar chart of ${def.label} by ${breakdownName} in ${scopeName}, ${monthLabel(at)}. The table below gives each value.`,
    categories: available.map((r) => memberLabel(cat, breakdownBy, r)),
    values: available.map((r) => r.value),
    digits,
    onClick: (i) => {
      const href = drillHref(available[i]);
      if (href) location.hash = href.slice(1);
    },
  });

  const form = byId<HTMLFormElement>('explorer-form');
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (e) => {
    const id = (e.target as HTMLElement).id;
    const val = (sel: string): string => (byId<HTMLSelectElement>(sel)).value;
    const next: Record<string, string | undefined> = {
      metric: val('ex-metric'), scope: val('ex-area') === 'system' ? undefined : val('ex-area'), staff_group: val('ex-sg'), role_code: val('ex-role'),
      at: val('ex-at'), by: val('ex-by'), basis: bases.length > 1 ? val('ex-basis') : undefined,
    };
    if (id !== 'ex-basis' && id !== 'ex-by' && id !== 'ex-at') next.basis = undefined;
    if (id === 'ex-sg') next.role_code = 'all';
    if (id === 'ex-area' || id === 'ex-sg') next.by = undefined;
    if (next.staff_group === 'all') next.staff_group = undefined;
    if (next.role_code === 'all') next.role_code = undefined;
    if (next.at === cat.latest_month) next.at = undefined;
    navigate('explorer', next);
  });
}
