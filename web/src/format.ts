// Number, date and label formatting for display (en-GB).
import type { Catalog, MetricDefinition } from './api';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2025-03-31" → "March 2025". */
export function monthLabel(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}
/** "2025-03-31" → "Mar 2025". */
export function shortMonth(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return `${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Format a metric value by its unit. */
export function metricValue(def: MetricDefinition | undefined, value: number | null, suppressed = false): string {
  if (suppressed) return '*';
  if (value === null) return 'Not available';
  if (isPercent(def)) return `${num(value, 1)}%`;
  if (isCount(def)) return num(value, 0);
  if (def?.unit === 'GBP') return gbp(value);
  return num(value, 1);
}

/** Whether a metric is a percentage (unit `%`). */
export function isPercent(def: MetricDefinition | undefined): boolean {
  return def?.unit === '%';
}
/** Whether a metric is a whole-number count (headcount, posts, cells, shifts, ...). */
export function isCount(def: MetricDefinition | undefined): boolean {
  return ['headcount', 'posts', 'cells', 'shifts', 'persons', 'count'].includes(def?.unit ?? '');
}

export function gbp(value: number): string {
  if (Math.abs(value) >= 1e6) return `£${num(value / 1e6, 1)}m`;
  return `£${num(value, 0)}`;
}

export function basisLabel(basis: string): string {
  return ({ headcount: 'headcount', fte: 'FTE', posts: 'posts', gbp: '£', shifts: 'shifts', fte_days: 'FTE days', hours: 'hours' } as Record<string, string>)[basis] ?? basis.replace(/_/g, ' ');
}

/** Human label of a scope. */
export function scopeLabel(cat: Catalog, scopeType: string, scope: string): string {
  if (scopeType === 'system') return cat.ics_name;
  if (scopeType === 'sector') return cat.sectors.find((s) => s.sector === scope)?.label ?? scope;
  if (scopeType === 'org') return cat.organisations.find((o) => o.org_code === scope)?.org_name ?? scope;
  return scope;
}
export function staffGroupLabel(cat: Catalog, sg: string): string {
  return sg === 'all' ? 'All staff groups' : cat.staff_groups.find((g) => g.staff_group === sg)?.label ?? sg;
}
export function roleLabel(cat: Catalog, role: string): string {
  return role === 'all' ? 'All roles' : cat.roles.find((r) => r.role_code === role)?.label ?? role;
}
export function sectorLabel(cat: Catalog, sector: string): string {
  return cat.sectors.find((s) => s.sector === sector)?.label ?? sector;
}
