// Definitions: every metric's declaration, the target of links from numbers.
import { api } from '../api';
import { html } from '../dom';
import type { Route } from '../main';


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
        ${row('Unit', d.unit)}
        ${row('Files it needs', `${d.needs.join(', ') || 'none'}${d.aggregate ? '; aggregate organisations contribute from aggregate_returns.csv' : ''}`)}
        ${d.category ? row('Split by', d.category) : ''}
        ${row('Areas', d.scopes.length ? d.scopes.join(', ') : 'system, place, sector and organisation')}
        ${row('Breakdowns', d.breakdowns.length ? d.breakdowns.map((b) => b.replace('_', ' ')).join(', ') : 'all staff only')}
        ${d.example ? row('Worked example', d.example) : ''}
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
