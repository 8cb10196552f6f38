// Definitions: every metric's declaration, the target of links from numbers.
import { api } from '../api';
import { html } from '../dom';
import { basisLabel } from '../format';
import type { Route } from '../main';

const UNIT: Record<string, string> = { percent: 'Percentage', count: 'Count', fte: 'Full-time equivalent', ratio: 'Ratio', rate_per_100k: 'Per 100,000 residents' };
const WINDOW: Record<string, string> = { month_end: 'At the month end (census)', month: 'Over the calendar month', '12_months': 'Over the 12 months ending at the month' };
const DIRECTION: Record<string, string> = { lower_is_better: 'Lower is better', higher_is_better: 'Higher is better', neutral: 'Neither higher nor lower is better' };

export async function definitionsPage(main: HTMLElement, route: Route): Promise<void> {
  const defs = await api.definitions();
  const row = (key: string, value: unknown) => html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value}</dd></div>`;
  main.innerHTML = html`
    <h1 class="nhsuk-heading-l">Metric definitions</h1>
    <p class="nhsuk-body-l">One method for every partner. Each rate sums its numerator and denominator over the area first and divides last, so a system figure is never an average of organisation rates.</p>
    <nav class="nhsuk-contents-list" aria-label="Metrics">
      <h2 class="nhsuk-u-visually-hidden">Contents</h2>
      <ol class="nhsuk-contents-list__list">
        ${defs.map((d) => html`<li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#/definitions/${d.name}">${d.label}</a></li>`)}
      </ol>
    </nav>
    ${defs.map((d) => html`<section class="cf-definition" id="def-${d.name}" aria-labelledby="def-${d.name}-h">
      <h2 class="nhsuk-heading-m" id="def-${d.name}-h" tabindex="-1">${d.label}</h2>
      <p class="nhsuk-body">${d.description}</p>
      <dl class="nhsuk-summary-list">
        ${row('Name', html`<code>${d.name}</code>`)}
        ${row('Numerator', d.numerator)}
        ${d.denominator ? row('Denominator', d.denominator) : ''}
        ${row('Unit', UNIT[d.unit] ?? d.unit)}
        ${row('Basis', d.bases.map(basisLabel).join(', '))}
        ${row('Time', WINDOW[d.window] ?? d.window)}
        ${row('Direction', DIRECTION[d.direction] ?? d.direction)}
        ${row('Needs', d.needs.join(', '))}
      </dl>
      <p class="nhsuk-body-s"><a href="#/explorer?metric=${d.name}">Explore ${d.label.toLowerCase()}</a></p>
    </section>`)}
  `.html;
  const target = route.rest[0];
  if (target) {
    const h = document.getElementById(`def-${target}-h`);
    if (h) {
      h.closest('section')?.classList.add('cf-definition--current');
      h.scrollIntoView({ block: 'start' });
      h.focus({ preventScroll: true });
    }
  }
}
