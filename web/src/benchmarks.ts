// National benchmarks (docs/api.md, GET /api/benchmarks and /api/benchmarks/cross-check):
// the ICS's own figures beside the published England and NHS region figures, its standing
// among the other ICSs, and the cross-check of partners' own rates against published ones.
import { html, type Raw } from './dom';
import { monthLabel, num } from './format';
import { dataTable, tag } from './ui';

export interface BenchmarkFigure { code: string; name: string; value: number | null; value_text: string; numerator: number; denominator: number | null; organisations: number }
export interface Standing { of: 'own' | 'published'; group: string; label: string; rank: number; count: number; quartile: number; lowest: number | null; highest: number | null }
export interface BenchmarkMonth {
  period: string; period_end: string;
  own: { value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; coverage_orgs: number; total_orgs: number } | null;
  published: BenchmarkFigure | null; england: BenchmarkFigure | null; region: BenchmarkFigure | null; peers: Standing[];
}
export interface BenchmarkMetric { metric: string; benchmark_metric: string; label: string; window_months: number; own_comparable: boolean; note: string; months: BenchmarkMonth[] }
export interface BenchmarkIdentity { ics_code: string | null; ics_name: string | null; region_code: string | null; region_name: string | null; partner_codes_are_ods: boolean }
export interface BenchmarksResponse { loaded: boolean; message: string; identity: BenchmarkIdentity; scope_type: 'system' | 'org'; scope: string; metrics: BenchmarkMetric[] }
export interface CrossCheckRow {
  org_code: string; published_org_name: string; period: string; period_end: string; source: string; status: 'match' | 'differs' | 'no_own_figure';
  own_value: number | null; own_value_text: string | null; published_value: number | null; published_value_text: string;
  own_numerator: number | null; own_denominator: number | null; published_numerator: number; published_denominator: number | null;
  value_difference: number | null; numerator_difference: number | null; denominator_difference: number | null; differences: string[];
}
export interface CrossCheckResponse {
  loaded: boolean; message: string; identity: BenchmarkIdentity; metric: string; organisations_checked: string[];
  summary: { rows: number; matching: number; differing: number; no_own_figure: number }; rows: CrossCheckRow[];
}

/** Dashboard metrics that have a national benchmark (the server's mapping). */
export const BENCHMARKED = new Set(['sickness_absence_rate_month', 'sickness_absence_rate', 'leaver_rate_headcount', 'leaver_rate_fte']);

async function get<T>(path: string, query: Record<string, string | undefined>): Promise<T | null> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const s = p.toString();
  const res = await fetch(`/api/${path}${s ? `?${s}` : ''}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) return null; // an older server without benchmarks: pages show no benchmarks
  return (await res.json()) as T;
}

const cache = new Map<string, Promise<BenchmarksResponse | null>>();
/** Benchmarks of a metric (or every benchmarked metric) for the system or one organisation. */
export function fetchBenchmarks(q: { metric?: string; scope_type?: 'system' | 'org'; scope?: string } = {}): Promise<BenchmarksResponse | null> {
  const key = JSON.stringify(q);
  if (!cache.has(key)) cache.set(key, get<BenchmarksResponse>('benchmarks', q).catch(() => null));
  return cache.get(key) as Promise<BenchmarksResponse | null>;
}
export function fetchCrossCheck(): Promise<CrossCheckResponse | null> {
  return get<CrossCheckResponse>('benchmarks/cross-check', {}).catch(() => null);
}

/** The region's display name ("East of England"), or "Region". */
export function regionName(b: BenchmarksResponse): string {
  return b.identity.region_name ?? 'Region';
}

/** Published figures of a metric by month end. */
export function byMonthEnd(m: BenchmarkMetric | undefined): Map<string, BenchmarkMonth> {
  return new Map((m?.months ?? []).map((x) => [x.period_end, x]));
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '–' : `${num(v, digits)}%`;
}

/** "2 of 41 ICSs in England (quartile 1: lowest quarter)". */
export function standingText(s: Standing): string {
  const q = ['lowest quarter', 'second quarter', 'third quarter', 'highest quarter'][s.quartile - 1] ?? '';
  return `${s.rank} of ${s.count} ${s.label} (quartile ${s.quartile}${q ? `, ${q}` : ''}; 1 = lowest)`;
}

/** A short notice when no benchmarks are loaded (not an error). */
export function notLoadedNotice(b: BenchmarksResponse | null, id = 'benchmarks-notice'): Raw {
  const text = b ? b.message : 'National benchmarks are not available from this server.';
  return html`<div class="nhsuk-inset-text cf-benchmark-notice" id="${id}"><span class="nhsuk-u-visually-hidden">Information: </span><p class="nhsuk-body-s">${text}</p></div>`;
}

/** The standing lines of one month: published and own figures among the peers. */
export function standingLines(m: BenchmarkMonth, ours: string): Raw[] {
  return m.peers.map((s) => html`${s.of === 'own' ? ours : `Published figure of ${m.published?.name ?? 'the ICS'}`}: ${standingText(s)}`);
}

/** The cross-check table for the data-quality page, or a sentence saying why there is none. */
export function crossCheckSection(c: CrossCheckResponse | null, orgName: (code: string) => string): Raw {
  if (!c || c.rows.length === 0) return html`<p class="nhsuk-body" id="cross-check-empty">${c?.message || 'No cross-check is available.'}</p>`;
  // Differences first (they usually mean a data problem on one side), then months without
  // an own figure, then matches; each by organisation and month as the server lists them.
  const order = { differs: 0, no_own_figure: 1, match: 2 } as const;
  const rows = c.rows.map((r, i) => ({ r, i })).sort((a, b) => order[a.r.status] - order[b.r.status] || a.i - b.i).map((x) => x.r);
  const statusTag = (r: CrossCheckRow): Raw => (r.status === 'match' ? tag('Matches', 'green') : r.status === 'differs' ? tag('Differs', 'red') : tag('No own figure', 'grey'));
  return html`<p class="nhsuk-body">${num(c.summary.rows)} organisation months checked: ${num(c.summary.matching)} match, ${num(c.summary.differing)} differ, ${num(c.summary.no_own_figure)} without an own figure. A difference usually means a data problem on one side.</p>
    ${dataTable({
    id: 'cross-check-table', caption: 'Sickness absence rate: partners\u2019 own rate against the published rate, differences first',
    head: ['Organisation', 'Month', 'Status', 'What differs', 'Own rate', 'Published rate', 'Difference (points)', 'Own FTE days lost', 'Published FTE days lost'],
    cells: rows.map((r) => [html`${orgName(r.org_code)}<br><span class="nhsuk-body-s cf-muted">${r.org_code}</span>`, monthLabel(r.period_end), statusTag(r), r.differences.join(' '), pct(r.own_value, 2), pct(r.published_value, 2),
      r.value_difference === null ? '–' : `${r.value_difference > 0 ? '+' : ''}${num(r.value_difference, 2)}`, num(r.own_numerator, 1), num(r.published_numerator, 1)]),
    data: {
      columns: ['org_code', 'period', 'own_value', 'published_value', 'value_difference', 'own_numerator', 'own_denominator', 'published_numerator', 'published_denominator', 'status', 'differences', 'source'],
      rows: rows.map((r) => [r.org_code, r.period, r.own_value, r.published_value, r.value_difference, r.own_numerator, r.own_denominator, r.published_numerator, r.published_denominator, r.status, r.differences.join(' '), r.source]),
    },
    filename: 'careforce-cross-check', numericFrom: 4,
  })}`;
}
