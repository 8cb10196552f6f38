// Workforce plan: supply and demand fan charts, the 5/10/15-year gap table, a scenario
// panel whose sliders re-run the projection, and saved scenarios compared side by side.
import { api, type Catalog, type GapRow, type Intervention, type Projection, type ProjectionParameters, type ScopeType } from '../api';
import { fanChart, lineChart, NHS, PALETTE } from '../charts';
import { byId, esc, html, raw, type Raw } from '../dom';
import { gbp, num, scopeLabel, staffGroupLabel } from '../format';
import { navigate, type Route } from '../main';
import { dataTable, errorBox, selectField, tag, type Option } from '../ui';

// Slider positions survive re-renders of the page (changing area keeps the scenario).
const sliderValues = new Map<string, number>();
let startYearChoice = '';
let rampChoice = 3;
// Replicates of the interactive preview while a slider moves (a re-run must take under a
// second); saved scenarios run the server's default_runs.
const PREVIEW_RUNS = 50;

type By = 'staff_group' | 'sector' | 'place' | 'role';

function splitArea(area: string): { scope_type: ScopeType; scope: string } {
  if (!area.includes(':')) return { scope_type: 'system', scope: 'system' };
  const i = area.indexOf(':');
  return { scope_type: area.slice(0, i) as ScopeType, scope: area.slice(i + 1) };
}
const q = (v: { p10: number; p50: number; p90: number }, digits = 0): string => `${num(v.p50, digits)} (${num(v.p10, digits)} to ${num(v.p90, digits)})`;

function memberName(cat: Catalog, by: By, r: GapRow): string {
  if (by === 'staff_group') return staffGroupLabel(cat, r.staff_group);
  if (by === 'role') return cat.roles.find((x) => x.role_code === r.role_code)?.label ?? r.role_code;
  if (by === 'sector') return cat.sectors.find((s) => s.sector === r.scope)?.label ?? r.scope;
  return r.scope;
}

export async function planPage(main: HTMLElement, route: Route): Promise<void> {
  const [cat, params] = await Promise.all([api.catalog(), api.projectionParameters()]);
  const area = route.params.get('scope') ?? 'system';
  const { scope_type, scope } = splitArea(area);
  const staff_group = route.params.get('staff_group') ?? 'all';
  const byParam = route.params.get('by') as By | null;
  const by: By = staff_group !== 'all' ? 'role' : byParam && ['staff_group', 'sector', 'place'].includes(byParam) ? byParam : 'staff_group';
  const scopeQuery = { scope_type, scope: scope_type === 'system' ? undefined : scope, staff_group };
  const [baseTotal, baseBy, saved] = await Promise.all([
    api.projection({ scenario: 'baseline', ...scopeQuery }),
    api.projection({ scenario: 'baseline', ...scopeQuery, by }),
    api.scenarios(),
  ]);
  if (!startYearChoice || !baseTotal.years.includes(startYearChoice)) startYearChoice = baseTotal.years[1];
  const types = params.intervention_types.filter((t) => t.type !== 'new_role');
  const cellName = `${scopeLabel(cat, scope_type, scope)}${staff_group !== 'all' ? `, ${staffGroupLabel(cat, staff_group)}` : ''}`;
  const areaOptions: Option[] = [
    { value: 'system', label: `Whole system (${cat.ics_name})` },
    ...cat.places.map((p) => ({ value: `place:${p.place}`, label: `Place: ${p.place}` })),
    ...cat.sectors.filter((s) => s.org_count > 0).map((s) => ({ value: `sector:${s.sector}`, label: `Sector: ${s.label}` })),
  ];
  const sgOptions: Option[] = [{ value: 'all', label: 'All staff groups' }, ...cat.staff_groups.map((g) => ({ value: g.staff_group, label: g.label }))];
  const byOptions: Option[] = staff_group !== 'all' ? [{ value: 'role', label: 'Role' }] : [{ value: 'staff_group', label: 'Staff group' }, { value: 'sector', label: 'Sector' }, { value: 'place', label: 'Place' }];
  const horizonYears = [5, 10, 15].map((h) => baseTotal.years[h]).filter(Boolean);
  const byLabel = by === 'staff_group' ? 'staff group' : by;

  const slider = (t: ProjectionParameters['intervention_types'][number]): Raw => {
    const v = sliderValues.get(t.type) ?? 0;
    const id = `iv-${t.type}`;
    return html`<div class="nhsuk-form-group cf-slider">
      <label class="nhsuk-label" for="${id}">${t.label}</label>
      <div class="nhsuk-hint" id="${id}-hint">${t.description} (${t.unit.replace(/_/g, ' ')}, ${t.min} to ${t.max})</div>
      <div class="cf-slider__row">
        <input class="cf-range" type="range" id="${id}" data-type="${t.type}" min="${t.min}" max="${t.max}" step="${t.step}" value="${v}" aria-describedby="${id}-hint">
        <label class="nhsuk-u-visually-hidden" for="${id}-num">${t.label}, exact value</label>
        <input class="nhsuk-input nhsuk-input--width-4 cf-range-num" type="number" id="${id}-num" data-type="${t.type}" min="${t.min}" max="${t.max}" step="${t.step}" value="${v}">
      </div>
    </div>`;
  };

  main.innerHTML = html`
    <h1 class="nhsuk-heading-l">Workforce plan</h1>
    <p class="nhsuk-body-l">Forecast supply of staff against the demand for them, ${baseTotal.years[0]} to ${baseTotal.years[baseTotal.years.length - 1]}, with the uncertainty from ${num(baseTotal.runs)} simulated futures: the line is the middle estimate (P50) and the shaded band holds 8 in 10 of them (P10 to P90).</p>
    <form class="cf-controls" id="plan-form" novalidate>
      ${selectField('pl-area', 'Area', areaOptions, area)}
      ${selectField('pl-sg', 'Staff group', sgOptions, staff_group)}
      ${selectField('pl-by', 'Gap table by', byOptions, by)}
    </form>
    <div class="cf-plan">
      <div class="cf-plan__chart">
        <h2 class="nhsuk-heading-m" id="fan-heading">Supply and demand (FTE): ${cellName}</h2>
        <div class="cf-chart cf-chart--tall" id="fan-chart" data-chart="fan"></div>
        <p class="nhsuk-body-s" id="plan-status" aria-live="polite" data-updates="0">Showing the baseline.</p>
      </div>
      <div class="cf-plan__tables">
        <div id="plan-gap-total"></div>
        <h2 class="nhsuk-heading-m">Gap by ${byLabel} at 5, 10 and 15 years</h2>
        <p class="nhsuk-body-s">Gap is demand less supply in FTE; a positive gap is a shortfall. Middle estimate with the P10 to P90 range in brackets.</p>
        <div id="plan-gap-table"></div>
        <h2 class="nhsuk-heading-m">Supply and demand by ${byLabel}</h2>
        <p class="nhsuk-body-s">One fan chart for each ${byLabel}; the gap table above gives their figures.</p>
        <div class="cf-small-multiples" id="plan-multiples"></div>
      </div>
      <aside class="cf-plan__panel" aria-labelledby="scenario-heading">
        <h2 class="nhsuk-heading-m" id="scenario-heading">Scenario</h2>
        <p class="nhsuk-body-s">Changes apply to ${esc(cellName)} from the start year; the charts update as you move a slider.</p>
        <form id="scenario-form" novalidate>
          ${selectField('sc-start', 'Start year', baseTotal.years.slice(1).map((y) => ({ value: y, label: y })), startYearChoice)}
          ${selectField('sc-ramp', 'Years to reach full effect', [0, 1, 2, 3, 5].map((n) => ({ value: String(n), label: n === 0 ? 'Immediately' : `${n} year${n > 1 ? 's' : ''}` })), String(rampChoice))}
          ${types.map(slider)}
          <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="sc-reset">Reset to baseline</button>
          <div class="nhsuk-form-group">
            <label class="nhsuk-label" for="sc-name">Scenario name</label>
            <input class="nhsuk-input" id="sc-name" type="text" maxlength="80" autocomplete="off">
          </div>
          <div class="nhsuk-form-group">
            <label class="nhsuk-label" for="sc-desc">Description (optional)</label>
            <input class="nhsuk-input" id="sc-desc" type="text" maxlength="500" autocomplete="off">
          </div>
          <button type="button" class="nhsuk-button" id="sc-save">Save scenario</button>
          <div id="sc-save-msg" aria-live="polite"></div>
        </form>
      </aside>
    </div>

    <h2 class="nhsuk-heading-m">Saved scenarios</h2>
    <div id="saved-list"></div>
    <div id="compare-out"></div>

    <h2 class="nhsuk-heading-m">Parameters and where they came from</h2>
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for="params-filter">Show only parameters whose name or description contains</label>
      <div class="nhsuk-hint" id="params-filter-hint">For example leaver_rate[care_worker, retirement_share or establishment_fte. The downloads hold every parameter.</div>
      <input class="nhsuk-input nhsuk-input--width-20" id="params-filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="params-filter-hint">
      <p class="nhsuk-body-s" id="params-filter-count" aria-live="polite"></p>
    </div>
    ${dataTable({
      id: 'params-table', caption: 'Model parameters: observed from the data, a documented default, or set by a user',
      head: ['Parameter', 'Value', 'Source', 'Sample size'],
      cells: baseTotal.parameters.map((p) => [html`${p.label}<br><span class="nhsuk-u-font-size-14 cf-param-name">${p.name}</span>`, `${num(p.value, Math.abs(p.value) < 1 ? 3 : 1)} ${p.unit === 'percent' ? '%' : p.unit.replace(/_/g, ' ')}`, tag(p.provenance === 'observed' ? 'Observed' : p.provenance === 'default' ? 'Default' : 'User', p.provenance === 'observed' ? 'blue' : p.provenance === 'default' ? 'grey' : 'purple'), p.sample_size !== null ? num(p.sample_size) : '–']),
      data: { columns: ['name', 'label', 'value', 'unit', 'provenance', 'sample_size'], rows: baseTotal.parameters.map((p) => [p.name, p.label, p.value, p.unit, p.provenance, p.sample_size ?? null]) },
      filename: 'careforce-projection-parameters',
    })}
    <h2 class="nhsuk-heading-m">Assumptions</h2>
    <ul class="nhsuk-list nhsuk-list--bullet">${baseTotal.assumptions.map((a) => html`<li>${a}</li>`)}</ul>
  `.html;

  const interventions = (): Intervention[] => types
    .filter((t) => (sliderValues.get(t.type) ?? 0) !== 0)
    .map((t) => ({ type: t.type, scope_type, scope, staff_group, role_code: 'all', start_year: startYearChoice, size: sliderValues.get(t.type) ?? 0, ramp_years: rampChoice }));

  const drawFan = (scenario: Projection | null): void => {
    const pick = (p: Projection) => p.series.filter((s) => s.staff_group === staff_group && s.role_code === 'all' && s.scope === scope);
    const b = pick(baseTotal);
    const fans = [
      { name: 'Demand', p10: b.map((s) => s.demand.p10), p50: b.map((s) => s.demand.p50), p90: b.map((s) => s.demand.p90), color: NHS.darkBlue, dashed: true },
      { name: 'Supply (baseline)', p10: b.map((s) => s.supply.p10), p50: b.map((s) => s.supply.p50), p90: b.map((s) => s.supply.p90), color: NHS.blue },
    ];
    if (scenario) {
      const s = pick(scenario);
      fans[0] = { name: 'Demand', p10: s.map((x) => x.demand.p10), p50: s.map((x) => x.demand.p50), p90: s.map((x) => x.demand.p90), color: NHS.darkBlue, dashed: true };
      fans.push({ name: 'Supply (scenario)', p10: s.map((x) => x.supply.p10), p50: s.map((x) => x.supply.p50), p90: s.map((x) => x.supply.p90), color: NHS.orange });
    }
    const last = b[b.length - 1];
    fanChart(byId('fan-chart'), {
      label: `Fan chart of supply and demand in FTE for ${cellName}, ${baseTotal.years[0]} to ${last.year}. In ${last.year} the baseline supply is ${num(last.supply.p50)} FTE and demand ${num(last.demand.p50)} FTE (middle estimates). The gap table gives the figures at 5, 10 and 15 years.`,
      years: baseTotal.years, fans, yName: 'FTE',
    });
  };

  const gapCells = (rows: GapRow[]): string[] => horizonYears.map((y) => {
    const r = rows.find((x) => x.year === y);
    return r ? q(r.gap) : '–';
  });

  // With a scenario the total gap table compares it with the baseline over the same simulated
  // futures (the preview's runs and seed), so the gap it closes is not Monte Carlo noise.
  const drawTables = (scenario: Projection | null, scenarioBy: Projection | null, pairedBase: Projection | null = null): void => {
    const totalRows = (scenario && pairedBase ? pairedBase : baseTotal).gap_table;
    const scenTotal = scenario?.gap_table ?? null;
    const head = ['', ...horizonYears.map((y, i) => `Gap in ${y} (${[5, 10, 15][i]} years)`)];
    const totalCells: (Raw | string)[][] = [['Baseline', ...gapCells(totalRows)]];
    const totalData: (string | number | null)[][] = totalRows.map((r) => ['baseline', r.year, r.horizon_years, r.supply.p50, r.demand.p50, r.gap.p10, r.gap.p50, r.gap.p90, r.cost_gbp.p50, r.p_gap_exceeds]);
    if (scenTotal) {
      totalCells.push(['This scenario', ...gapCells(scenTotal)]);
      totalCells.push(['Gap closed by the scenario', ...horizonYears.map((y) => {
        const b = totalRows.find((x) => x.year === y), s = scenTotal.find((x) => x.year === y);
        return b && s ? num(b.gap.p50 - s.gap.p50) : '–';
      })]);
      scenTotal.forEach((r) => totalData.push(['scenario', r.year, r.horizon_years, r.supply.p50, r.demand.p50, r.gap.p10, r.gap.p50, r.gap.p90, r.cost_gbp.p50, r.p_gap_exceeds]));
    }
    const attribution = scenario?.attribution ?? [];
    const changes = [...new Set(attribution.map((a) => a.intervention))];
    byId('plan-gap-total').innerHTML = dataTable({
      id: 'gap-total-table', caption: `Gap for ${cellName} (FTE)`, head: head.map((h, i) => (i === 0 ? 'Scenario' : h)), cells: totalCells,
      data: { columns: ['scenario', 'year', 'horizon_years', 'supply_p50', 'demand_p50', 'gap_p10', 'gap_p50', 'gap_p90', 'cost_gbp_p50', 'p_gap_exceeds'], rows: totalData },
      filename: 'careforce-gap-total',
    }).html + (changes.length === 0 ? '' : dataTable({
      id: 'attribution-table', caption: 'How much of the gap each change closes on its own (FTE, middle estimate)',
      head: ['Change', ...horizonYears.map((y, i) => `${[5, 10, 15][i]} years (${y})`)],
      cells: changes.map((c) => [c, ...horizonYears.map((y) => num(attribution.find((a) => a.intervention === c && a.year === y)?.gap_closed_fte.p50 ?? null))]),
      data: { columns: ['intervention', 'type', 'year', 'gap_closed_p10', 'gap_closed_p50', 'gap_closed_p90'], rows: attribution.map((a) => [a.intervention, a.type, a.year, a.gap_closed_fte.p10, a.gap_closed_fte.p50, a.gap_closed_fte.p90]) },
      filename: 'careforce-gap-attribution',
    }).html);

    const membersOf = (p: Projection) => {
      const keys: string[] = [];
      p.gap_table.forEach((r) => { const k = `${r.scope}|${r.staff_group}|${r.role_code}`; if (!keys.includes(k)) keys.push(k); });
      return keys.map((k) => p.gap_table.filter((r) => `${r.scope}|${r.staff_group}|${r.role_code}` === k));
    };
    const base = membersOf(baseBy);
    const scen = scenarioBy ? membersOf(scenarioBy) : null;
    const headBy = [by === 'staff_group' ? 'Staff group' : by === 'role' ? 'Role' : by === 'sector' ? 'Sector' : 'Place', ...horizonYears.map((y, i) => `${[5, 10, 15][i]} years (${y})`), ...(scen ? horizonYears.map((_y, i) => `Scenario, ${[5, 10, 15][i]} years`) : [])];
    byId('plan-gap-table').innerHTML = dataTable({
      id: 'gap-table', caption: `Gap by ${by.replace('_', ' ')}, ${cellName} (FTE, P50 with P10 to P90)`,
      head: headBy,
      cells: base.map((rows, i) => [memberName(cat, by, rows[0]), ...gapCells(rows), ...(scen ? gapCells(scen[i] ?? []) : [])]),
      data: {
        columns: ['member', 'scenario', 'year', 'horizon_years', 'supply_p50', 'demand_p50', 'gap_p10', 'gap_p50', 'gap_p90', 'cost_gbp_p50'],
        rows: [...base.flat().map((r) => [memberName(cat, by, r), 'baseline', r.year, r.horizon_years, r.supply.p50, r.demand.p50, r.gap.p10, r.gap.p50, r.gap.p90, r.cost_gbp.p50]),
          ...(scen ?? []).flat().map((r) => [memberName(cat, by, r), 'scenario', r.year, r.horizon_years, r.supply.p50, r.demand.p50, r.gap.p10, r.gap.p50, r.gap.p90, r.cost_gbp.p50])],
      },
      filename: `careforce-gap-by-${by}`,
    }).html;
  };

  const drawMultiples = (scenarioBy: Projection | null): void => {
    const key = (p: { scope: string; staff_group: string; role_code: string }) => `${p.scope}|${p.staff_group}|${p.role_code}`;
    const keys: string[] = [];
    baseBy.series.forEach((p) => { if (!keys.includes(key(p))) keys.push(key(p)); });
    const box = byId('plan-multiples');
    if (box.childElementCount !== keys.length) box.innerHTML = keys.map((k, i) => {
      const first = baseBy.gap_table.find((g) => key(g) === k);
      const title = first ? memberName(cat, by, first) : k;
      return html`<div class="cf-multiple"><h3 class="nhsuk-heading-xs">${title}</h3><div class="cf-chart cf-chart--small" id="multiple-${i}" data-chart="multiple"></div></div>`.html;
    }).join('');
    keys.forEach((k, i) => {
      const b = baseBy.series.filter((p) => key(p) === k);
      const sc = scenarioBy?.series.filter((p) => key(p) === k) ?? null;
      const first = baseBy.gap_table.find((g) => key(g) === k);
      const title = first ? memberName(cat, by, first) : k;
      const last = b[b.length - 1];
      fanChart(byId(`multiple-${i}`), {
        label: `Fan chart for ${title}: in ${last.year} supply ${num(last.supply.p50)} FTE and demand ${num(last.demand.p50)} FTE (middle estimates).`,
        years: baseTotal.years,
        fans: [
          { name: 'Demand', p10: b.map((x) => x.demand.p10), p50: b.map((x) => x.demand.p50), p90: b.map((x) => x.demand.p90), color: NHS.darkBlue, dashed: true },
          { name: 'Supply', p10: b.map((x) => x.supply.p10), p50: b.map((x) => x.supply.p50), p90: b.map((x) => x.supply.p90), color: NHS.blue },
          ...(sc ? [{ name: 'Scenario', p10: sc.map((x) => x.supply.p10), p50: sc.map((x) => x.supply.p50), p90: sc.map((x) => x.supply.p90), color: NHS.orange }] : []),
        ],
        compact: true,
      });
    });
  };

  drawFan(null);
  drawTables(null, null);
  drawMultiples(null);

  // ---- scenario runs
  // The baseline over the preview's simulated futures, fetched once per page (the server
  // caches it): warmed now so the first slider move pays only for the scenario.
  let previewBase: Promise<Projection> | null = null;
  const previewBaseline = (): Promise<Projection> => (previewBase ??= api.run({ name: 'unsaved', runs: PREVIEW_RUNS, interventions: [], ...scopeQuery }).catch((e) => { previewBase = null; throw e; }));
  void previewBaseline().catch(() => undefined);
  let seq = 0;
  let timer: number | undefined;
  const status = byId('plan-status');
  // One scenario request at a time: a slider moved while one runs queues one more run with
  // the latest positions (the server would otherwise compute every intermediate position).
  let busy = false;
  let queued = false;
  const runScenario = async (): Promise<void> => {
    if (busy) { queued = true; return; }
    busy = true;
    try {
      await runOnce();
    } finally {
      busy = false;
      if (queued) { queued = false; void runScenario(); }
    }
  };
  const runOnce = async (): Promise<void> => {
    const mine = ++seq;
    const ivs = interventions();
    if (ivs.length === 0) {
      drawFan(null);
      drawTables(null, null);
      drawMultiples(null);
      status.textContent = 'Showing the baseline.';
      status.dataset.updates = String(Number(status.dataset.updates) + 1);
      return;
    }
    const started = performance.now();
    try {
      const body = { name: 'unsaved', runs: PREVIEW_RUNS, interventions: ivs, ...scopeQuery };
      const [total, split, pairedBase] = await Promise.all([api.run(body), api.run({ ...body, by }), previewBaseline()]);
      if (mine !== seq || queued) return;
      const fetched = performance.now();
      drawFan(total);
      drawTables(total, split, pairedBase);
      const ms = Math.round(performance.now() - started);
      status.textContent = `Scenario with ${ivs.length} change${ivs.length > 1 ? 's' : ''} updated in ${ms} ms (${PREVIEW_RUNS} simulated futures, the baseline beside it over the same ones; saving runs ${num(params.default_runs)}).`;
      status.dataset.ms = String(ms);
      status.dataset.fetchMs = String(Math.round(fetched - started));
      status.dataset.updates = String(Number(status.dataset.updates) + 1);
      // The small multiples follow once the main chart and the tables are on screen.
      window.setTimeout(() => { if (mine === seq) drawMultiples(split); }, 0);
    } catch (e) {
      if (mine === seq && !queued) status.innerHTML = errorBox(e).html;
    }
  };
  const schedule = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void runScenario(), 120);
  };

  const scForm = byId<HTMLFormElement>('scenario-form');
  scForm.addEventListener('submit', (e) => e.preventDefault());
  scForm.addEventListener('input', (e) => {
    const el = e.target as HTMLInputElement;
    const type = el.dataset.type;
    if (!type) return;
    const v = Number(el.value);
    if (!Number.isFinite(v)) return;
    sliderValues.set(type, v);
    const twin = byId<HTMLInputElement>(el.type === 'range' ? `iv-${type}-num` : `iv-${type}`);
    twin.value = String(v);
    schedule();
  });
  scForm.addEventListener('change', (e) => {
    const el = e.target as HTMLElement;
    if (el.id === 'sc-start') { startYearChoice = (el as HTMLSelectElement).value; schedule(); }
    if (el.id === 'sc-ramp') { rampChoice = Number((el as HTMLSelectElement).value); schedule(); }
  });
  byId('sc-reset').addEventListener('click', () => {
    sliderValues.clear();
    scForm.querySelectorAll<HTMLInputElement>('input[data-type]').forEach((i) => { i.value = '0'; });
    schedule();
  });
  if (interventions().length > 0) void runScenario();

  // ---- saving and comparing
  const renderSaved = (list: typeof saved): void => {
    const out = byId('saved-list');
    if (list.length === 0) {
      out.innerHTML = html`<p class="nhsuk-body">No scenario has been saved yet. Move the sliders, name the scenario and select Save.</p>`.html;
      return;
    }
    out.innerHTML = html`<form id="compare-form" novalidate>
      <div class="nhsuk-form-group"><fieldset class="nhsuk-fieldset" aria-describedby="compare-hint">
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Choose scenarios to compare with the baseline</legend>
        <div class="nhsuk-hint" id="compare-hint">The comparison is for ${cellName}.</div>
        <div class="nhsuk-checkboxes">
          ${list.map((s, i) => html`<div class="nhsuk-checkboxes__item">
            <input class="nhsuk-checkboxes__input" id="cmp-${i}" name="compare" type="checkbox" value="${s.name}" checked>
            <label class="nhsuk-label nhsuk-checkboxes__label" for="cmp-${i}">${s.name}<span class="nhsuk-body-s cf-muted"> — ${s.description || s.interventions.map((iv) => `${iv.type.replace(/_/g, ' ')} ${iv.size}`).join(', ')}</span></label>
          </div>`)}
        </div>
      </fieldset></div>
      <button type="button" class="nhsuk-button nhsuk-button--secondary" id="compare-btn">Compare scenarios</button>
      ${list.map((s) => html`<button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small cf-delete" data-delete="${s.name}">Delete<span class="nhsuk-u-visually-hidden"> scenario</span> ${s.name}</button> `)}
    </form>`.html;
    byId('compare-btn').addEventListener('click', () => void compare());
    out.querySelectorAll<HTMLButtonElement>('[data-delete]').forEach((b) => b.addEventListener('click', async () => {
      await api.deleteScenario(b.dataset.delete as string);
      renderSaved(await api.scenarios());
      byId('compare-out').innerHTML = '';
    }));
  };

  const compare = async (): Promise<void> => {
    const names = [...document.querySelectorAll<HTMLInputElement>('#compare-form input[name=compare]:checked')].map((i) => i.value);
    const runs = await Promise.all(['baseline', ...names].map((n) => api.projection({ scenario: n, ...scopeQuery })));
    const out = byId('compare-out');
    out.innerHTML = html`
      <h3 class="nhsuk-heading-s">Comparison for ${cellName}</h3>
      <div class="cf-chart" id="compare-chart" data-chart="compare"></div>
      ${dataTable({
        id: 'compare-table', caption: `Scenarios compared: gap and cost at 5, 10 and 15 years, ${cellName}`,
        head: ['Scenario', ...horizonYears.map((y, i) => `Gap ${[5, 10, 15][i]} years (${y})`), `Supply ${horizonYears[horizonYears.length - 1]}`, `Cost ${horizonYears[horizonYears.length - 1]}`],
        cells: runs.map((p) => {
          const last = p.gap_table[p.gap_table.length - 1];
          return [p.scenario === 'baseline' ? 'Baseline' : p.scenario, ...gapCells(p.gap_table), last ? num(last.supply.p50) : '–', last ? gbp(last.cost_gbp.p50) : '–'];
        }),
        data: { columns: ['scenario', 'year', 'horizon_years', 'supply_p50', 'demand_p50', 'gap_p10', 'gap_p50', 'gap_p90', 'cost_gbp_p50'], rows: runs.flatMap((p) => p.gap_table.map((r) => [p.scenario, r.year, r.horizon_years, r.supply.p50, r.demand.p50, r.gap.p10, r.gap.p50, r.gap.p90, r.cost_gbp.p50])) },
        filename: 'careforce-scenario-comparison',
      })}`.html;
    lineChart(byId('compare-chart'), {
      label: `Line chart of the middle estimate of the gap in FTE for ${cellName} under the baseline and ${names.length} saved scenario${names.length === 1 ? '' : 's'}; the table below gives the figures.`,
      categories: runs[0].years,
      series: runs.map((p, i) => ({ name: p.scenario === 'baseline' ? 'Baseline' : p.scenario, data: p.series.filter((s) => s.scope === scope && s.staff_group === staff_group && s.role_code === 'all').map((s) => s.gap.p50), color: i === 0 ? NHS.grey : PALETTE[(i - 1) % PALETTE.length], dashed: i === 0 })),
      yName: 'Gap (FTE)', digits: 0,
    });
  };
  renderSaved(saved);

  byId('sc-save').addEventListener('click', async () => {
    const nameEl = byId<HTMLInputElement>('sc-name');
    const msg = byId('sc-save-msg');
    const name = nameEl.value.trim();
    if (!name) {
      msg.innerHTML = html`<p class="nhsuk-error-message" id="sc-name-error"><span class="nhsuk-u-visually-hidden">Error:</span> Enter a name for the scenario</p>`.html;
      nameEl.setAttribute('aria-describedby', 'sc-name-error');
      nameEl.focus();
      return;
    }
    if (interventions().length === 0) {
      msg.innerHTML = html`<p class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">Error:</span> Move at least one slider before saving</p>`.html;
      return;
    }
    const button = byId<HTMLButtonElement>('sc-save');
    button.disabled = true;
    msg.innerHTML = html`<p class="nhsuk-body-s" role="status">Saving “${name}”: running ${num(params.default_runs)} simulated futures…</p>`.html;
    try {
      await api.run({ name, description: byId<HTMLInputElement>('sc-desc').value.trim(), save: true, interventions: interventions(), ...scopeQuery });
      nameEl.removeAttribute('aria-describedby');
      msg.innerHTML = html`<p class="nhsuk-body-s cf-saved">Saved “${name}”.</p>`.html;
      renderSaved(await api.scenarios());
    } catch (e) {
      msg.innerHTML = errorBox(e).html;
    } finally {
      button.disabled = false;
    }
  });

  const paramRows = Array.from(main.querySelectorAll<HTMLTableRowElement>('#params-table tbody tr'));
  byId<HTMLInputElement>('params-filter').addEventListener('input', (e) => {
    const wanted = (e.target as HTMLInputElement).value.trim().toLowerCase();
    let shown = 0;
    for (const row of paramRows) {
      row.hidden = wanted !== '' && !(row.textContent ?? '').toLowerCase().includes(wanted);
      if (!row.hidden) shown += 1;
    }
    byId('params-filter-count').textContent = wanted === '' ? '' : `${num(shown)} of ${num(paramRows.length)} parameters shown`;
  });

  byId('plan-form').addEventListener('change', () => {
    const a = byId<HTMLSelectElement>('pl-area').value;
    const sg = byId<HTMLSelectElement>('pl-sg').value;
    const b = byId<HTMLSelectElement>('pl-by').value;
    navigate('plan', { scope: a === 'system' ? undefined : a, staff_group: sg === 'all' ? undefined : sg, by: sg !== staff_group ? undefined : b });
  });
  void raw;
}
