// Typed client of the careforce JSON API (docs/api.md).

export type ScopeType = 'system' | 'place' | 'sector' | 'org';
export type Breakdown = 'place' | 'sector' | 'org' | 'staff_group' | 'role';

export interface Organisation { org_code: string; org_name: string; sector: string; place: string; data_level: 'record' | 'aggregate' }
export interface Catalog {
  ics_name: string;
  latest_month: string | null;
  months: string[];
  places: { place: string; org_count: number }[];
  sectors: { sector: string; label: string; org_count: number }[];
  organisations: Organisation[];
  staff_groups: { staff_group: string; label: string; sector_family: string }[];
  roles: { role_code: string; staff_group: string; label: string; registered: boolean; new_role: boolean }[];
}
export interface MetricDefinition {
  name: string; label: string; unit: string; family: string; description: string; numerator: string; denominator: string;
  needs: string[]; aggregate: boolean; category: string; scopes: string[]; breakdowns: string[]; example: string;
}
export interface MetricResult {
  metric: string; period_end: string; scope_type: ScopeType; scope: string; staff_group: string; role_code: string; category: string;
  value: number | null; numerator: number | null; denominator: number | null; basis: string;
  coverage_orgs: number; total_orgs: number; available: boolean; suppressed: boolean; files: string[]; options: string;
}
export interface MetricsResponse { at: string; scope_type: ScopeType; scope: string; staff_group: string; role_code: string; by: Breakdown | null; results: MetricResult[] }
export interface SeriesResponse { metric: string; scope_type: ScopeType; scope: string; staff_group: string; role_code: string; from: string; to: string; points: MetricResult[] }
export type Rag = 'green' | 'amber' | 'red' | 'none';
export interface OutcomeRow { indicator: string; scope: string; year: string; actual: number | null; target: number | null; rag: Rag; direction: string; travel: 'improving' | 'worsening' | 'stable' | 'none' }
export interface OutcomesResponse { years: string[]; indicators: { indicator: string; label: string; unit: string; direction: string }[]; rows: OutcomeRow[] }
export interface DqCell { period: string; status: 'submitted' | 'missing'; rows: number; files: string[] }
export interface DataQuality {
  periods: string[];
  organisations: (Organisation & { cells: DqCell[] })[];
  coverage: { sector: string; total_orgs: number; submitted_orgs: number; coverage_pct: number; files: { file_name: string; orgs: number }[] }[];
  totals: { submissions: number; accepted: number; accepted_with_quarantine: number; rejected: number; quarantined_rows: number; errors: number; warnings: number };
}
export interface Submission {
  id: number; received_at: string; source: string; sha256: string; outcome: 'accepted' | 'accepted_with_quarantine' | 'rejected';
  errors: number; warnings: number; quarantined_rows: number; organisations: string[];
  files: { file_name: string; sha256: string; rows_read: number; rows_accepted: number; rows_rejected: number }[];
}
export interface Finding { severity: 'error' | 'warning'; kind: string; file: string; line: number; column: number; column_name: string; value: string; message: string; expected: string }
export interface QuarantinedRow { submission_id: number; file_name: string; line: number; raw_row: string; findings: Finding[] }
export interface Quantiles { p10: number; p50: number; p90: number }
export interface ProjectionPoint { scenario: string; year: string; scope_type: ScopeType; scope: string; staff_group: string; role_code: string; supply: Quantiles; demand: Quantiles; gap: Quantiles; cost_gbp: Quantiles }
export interface GapRow extends Omit<ProjectionPoint, 'scenario'> { horizon_years: number; p_gap_exceeds: number }
export interface Parameter { name: string; label: string; unit: string; value: number; spread: number; provenance: 'observed' | 'default' | 'user'; sample_size: number | null }
export interface Intervention { type: string; scope_type?: ScopeType; scope?: string; staff_group?: string; role_code?: string; start_year?: string; size: number; ramp_years?: number }
export interface InterventionType { type: string; label: string; description: string; unit: string; min: number; max: number; step: number; default: number }
export interface ProjectionParameters { base_year: string; horizon_years: number; default_runs: number; default_seed: number; parameters: Parameter[]; intervention_types: InterventionType[] }
export interface Projection {
  scenario: string; description: string; base_year: string; years: string[]; runs: number; seed: number;
  parameters: Parameter[]; interventions: Intervention[]; series: ProjectionPoint[]; gap_table: GapRow[]; attribution: AttributionRow[]; assumptions: string[]; elapsed_ms: number;
}
export interface AttributionRow { scenario: string; intervention: string; type: string; year: string; gap_closed_fte: Quantiles }
export interface SavedScenario { name: string; description: string; created_at: string; runs: number; seed: number; interventions: Intervention[]; parameters: Record<string, number> }
export interface RunRequest {
  name?: string; description?: string; save?: boolean; runs?: number; seed?: number; interventions: Intervention[];
  parameters?: Record<string, number>; scope_type?: ScopeType; scope?: string; staff_group?: string; role_code?: string; by?: string; threshold_fte?: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown>) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

function qs(query: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
  }
  const res = await fetch(`/api/${path}${qs(query)}`, init);
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const e = json?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.details ?? {});
  }
  return json as T;
}

const cache = new Map<string, Promise<unknown>>();
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) cache.set(key, load().catch((e) => { cache.delete(key); throw e; }));
  return cache.get(key) as Promise<T>;
}

export const api = {
  health: () => request<{ status: string; schema_version: number; last_import: string | null }>('GET', 'health'),
  catalog: () => cached('catalog', () => request<Catalog>('GET', 'catalog')),
  definitions: () => cached('defs', () => request<{ metrics: MetricDefinition[] }>('GET', 'metric-definitions').then((r) => r.metrics)),
  metrics: (q: { metric?: string; at?: string; scope_type?: ScopeType; scope?: string; staff_group?: string; role_code?: string; by?: Breakdown; basis?: string }) =>
    request<MetricsResponse>('GET', 'metrics', q),
  series: (q: { metric: string; scope_type?: ScopeType; scope?: string; staff_group?: string; role_code?: string; from?: string; to?: string; basis?: string }) =>
    request<SeriesResponse>('GET', 'series', q),
  outcomes: (q: { scope?: string; indicator?: string } = {}) => request<OutcomesResponse>('GET', 'outcomes', q),
  dataQuality: (q: { from?: string; to?: string } = {}) => request<DataQuality>('GET', 'data-quality', q),
  submissions: (q: { org?: string; outcome?: string; limit?: number; offset?: number } = {}) =>
    request<{ total: number; limit: number; offset: number; submissions: Submission[] }>('GET', 'submissions', q),
  findings: (q: { submission_id: number; severity?: string; limit?: number }) =>
    request<{ submission_id: number; total: number; findings: Finding[] }>('GET', 'findings', q),
  quarantine: (q: { submission_id?: number; limit?: number; offset?: number } = {}) =>
    request<{ total: number; limit: number; offset: number; rows: QuarantinedRow[] }>('GET', 'quarantine', q),
  projectionParameters: () => cached('pparams', () => request<ProjectionParameters>('GET', 'projection/parameters')),
  projection: (q: { scenario?: string; scope_type?: ScopeType; scope?: string; staff_group?: string; role_code?: string; by?: string; threshold_fte?: number }) =>
    request<Projection>('GET', 'projection', q),
  run: (body: RunRequest) => request<Projection>('POST', 'projection/run', {}, body),
  scenarios: () => request<{ scenarios: SavedScenario[] }>('GET', 'scenarios').then((r) => r.scenarios),
  deleteScenario: (name: string) => request<{ deleted: string }>('DELETE', 'scenarios', { name }),
};
