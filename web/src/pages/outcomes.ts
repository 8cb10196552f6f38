// Outcomes framework: indicators × years, actual against target, RAG and direction of travel.
import { api, type OutcomeRow } from '../api';
import { lineChart, NHS } from '../charts';
import { byId, html } from '../dom';
import { metricValue } from '../format';
import { navigate, type Route } from '../main';
import { dataTable, ragTag, selectField } from '../ui';
import { financialYear } from '../metrics-util';

const TRAVEL: Record<OutcomeRow['travel'], string> = { improving: '▲ Improving', worsening: '▼ Worsening', stable: '▶ Stable', none: '' };

export async function outcomesPage(main: HTMLElement, route: Route): Promise<void> {
  const [cat, defs, all] = await Promise.all([api.catalog(), api.definitions(), api.outcomes()]);
  const defOf = new Map(defs.map((d) => [d.name, d]));
  const scopes = [...new Set(all.rows.map((r) => r.scope))];
  const scope = scopes.includes(route.params.get('scope') ?? '') ? (route.params.get('scope') as string) : scopes[0] ?? 'system';
  const scopeName = (s: string): string => {
    if (s === 'system') return `Whole system (${cat.ics_name})`;
    const [kind, code] = s.split(':');
    if (kind === 'sector') return `Sector: ${cat.sectors.find((x) => x.sector === code)?.label ?? code}`;
    if (kind === 'place') return `Place: ${code}`;
    return `Organisation: ${cat.organisations.find((o) => o.org_code === code)?.org_name ?? code}`;
  };
  const rows = all.rows.filter((r) => r.scope === scope);
  const indicators = [...new Set(rows.map((r) => r.indicator))];
  const years = all.years.filter((y) => rows.some((r) => r.year === y));
  const chosen = indicators.includes(route.params.get('indicator') ?? '') ? (route.params.get('indicator') as string) : indicators[0];
  const cell = (ind: string, year: string) => rows.find((r) => r.indicator === ind && r.year === year);
  const currentYear = cat.latest_month ? financialYear(cat.latest_month) : '';
  const noActual = (year: string): string => (currentYear && year > currentYear ? 'Not yet due' : 'No data');

  const cells = indicators.map((ind) => {
    const def = defOf.get(ind);
    return [
      html`<a href="#/definitions/${ind}">${def?.label ?? ind}</a><br><span class="nhsuk-body-s cf-muted">${rows.find((r) => r.indicator === ind)?.direction === 'lower_is_better' ? 'Lower is better' : 'Higher is better'}</span>`,
      ...years.map((y) => {
        const r = cell(ind, y);
        if (!r) return '–';
        return html`<span class="cf-outcome"><span class="cf-outcome__actual">${r.actual === null ? noActual(y) : metricValue(def, r.actual)}</span>
          <span class="cf-outcome__target">Target ${r.target === null ? 'none' : metricValue(def, r.target)}</span>
          ${ragTag(r.rag)}${r.travel !== 'none' ? html`<span class="cf-outcome__travel cf-travel--${r.travel}">${TRAVEL[r.travel]}</span>` : ''}</span>`;
      }),
    ];
  });

  main.innerHTML = html`
    <h1 class="nhsuk-heading-l">Outcomes framework</h1>
    <p class="nhsuk-body-l">Each indicator's actual value at the end of March of each financial year against the system's trajectory. Green: target met. Amber: missed by no more than 10% of the target. Red: missed by more.</p>
    <form class="cf-controls" id="outcomes-form" novalidate>
      ${selectField('oc-scope', 'Area', scopes.map((s) => ({ value: s, label: scopeName(s) })), scope)}
      ${selectField('oc-indicator', 'Indicator shown in the chart', indicators.map((i) => ({ value: i, label: defOf.get(i)?.label ?? i })), chosen ?? '')}
    </form>
    ${dataTable({
      id: 'outcomes-table', caption: `Outcomes framework, ${scopeName(scope)}: actual against target by financial year`,
      head: ['Indicator', ...years], cells,
      data: { columns: ['indicator', 'scope', 'year', 'actual', 'target', 'rag', 'direction', 'travel'], rows: rows.map((r) => [r.indicator, r.scope, r.year, r.actual, r.target, r.rag, r.direction, r.travel]) },
      filename: `careforce-outcomes-${scope.replace(/[^a-z0-9]+/gi, '-')}`,
    })}
    <h2 class="nhsuk-heading-m">Trajectory: ${defOf.get(chosen ?? '')?.label ?? ''}</h2>
    <div class="cf-chart" id="outcomes-chart" data-chart="outcomes"></div>
  `.html;

  if (chosen) {
    const def = defOf.get(chosen);
    const actual = years.map((y) => cell(chosen, y)?.actual ?? null);
    const target = years.map((y) => cell(chosen, y)?.target ?? null);
    lineChart(byId('outcomes-chart'), {
      label: `Line chart of ${def?.label ?? chosen} for ${scopeName(scope)}: actual and target by financial year, as in the table above.`,
      categories: years,
      series: [{ name: 'Actual', data: actual, color: NHS.blue }, { name: 'Target', data: target, color: NHS.red, dashed: true }],
      yName: def?.unit ?? '',
    });
  }
  byId('outcomes-form').addEventListener('change', () => {
    navigate('outcomes', { scope: byId<HTMLSelectElement>('oc-scope').value, indicator: byId<HTMLSelectElement>('oc-indicator').value });
  });
}
