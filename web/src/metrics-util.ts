// Helpers shared by pages that show metric results.
import type { Catalog, MetricDefinition, MetricResult, Rag } from './api';
import { html, type Raw } from './dom';
import { isCount, isPercent, metricValue, num } from './format';

/** The financial year ("2024/25") a month end falls in. */
export function financialYear(monthEnd: string): string {
  const [y, m] = monthEnd.split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** RAG by the rule of docs/api.md (outcomes): met = green, within 10% = amber, else red. */
export function ragFor(actual: number | null, target: number | null, direction: string): Rag {
  if (actual === null || target === null) return 'none';
  const lower = direction === 'lower_is_better';
  if (lower ? actual <= target : actual >= target) return 'green';
  if (lower ? actual <= target * 1.1 : actual >= target * 0.9) return 'amber';
  return 'red';
}

/** A value linked to its definition. */
export function valueLink(def: MetricDefinition | undefined, r: Pick<MetricResult, 'value' | 'suppressed' | 'metric'>): Raw {
  return html`<a class="cf-value-link" href="#/definitions/${r.metric}" title="How ${def?.label ?? r.metric} is calculated">${metricValue(def, r.value, r.suppressed)}</a>`;
}

export function coverageText(r: MetricResult): string {
  return `${r.coverage_orgs} of ${r.total_orgs}`;
}

/** Change over a year in words, with whether it is good. */
export function trendText(def: MetricDefinition, direction: string, now: number | null, before: number | null, beforeLabel: string): { text: string; good: boolean | null } {
  if (now === null || before === null) return { text: 'No comparison available', good: null };
  const diff = now - before;
  const unit = isPercent(def) ? ' points' : '';
  const digits = isCount(def) ? 0 : 1;
  if (Math.abs(diff) < (isPercent(def) ? 0.05 : Math.abs(before) * 0.001)) return { text: `No change on ${beforeLabel}`, good: null };
  const word = diff > 0 ? 'Up' : 'Down';
  const good = direction !== 'lower_is_better' && direction !== 'higher_is_better' ? null : (diff < 0) === (direction === 'lower_is_better');
  return { text: `${word} ${num(Math.abs(diff), digits)}${unit} on ${beforeLabel}`, good };
}

/** Label of a breakdown member of a result. */
export function memberLabel(cat: Catalog, by: string, r: MetricResult): string {
  switch (by) {
    case 'place': return r.scope;
    case 'sector': return cat.sectors.find((s) => s.sector === r.scope)?.label ?? r.scope;
    case 'org': return cat.organisations.find((o) => o.org_code === r.scope)?.org_name ?? r.scope;
    case 'staff_group': return cat.staff_groups.find((g) => g.staff_group === r.staff_group)?.label ?? r.staff_group;
    case 'role': return cat.roles.find((x) => x.role_code === r.role_code)?.label ?? r.role_code;
  }
  return r.scope;
}

/** Digits to show for a numerator or denominator on this basis. */
export function basisDigits(basis: string): number {
  return basis === 'fte' || basis === 'fte_days' ? 1 : 0;
}
