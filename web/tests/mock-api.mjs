// The mock careforce API: answers docs/api.md from the fixtures in tests/fixtures/.
// Metric values come from a small deterministic model of a demo ICS (ratios of sums over
// organisations and staff groups, as METRICS.md says); projections from a closed-form
// stock-and-flow approximation. It exists so the dashboard can be built and tested before
// the C++ server; it is not the method.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBenchmarkHandlers } from './mock-benchmarks.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name) => JSON.parse(readFileSync(join(here, 'fixtures', name), 'utf8'));

const catalog = fixture('catalog.json');
const definitions = fixture('metric-definitions.json');
const workforce = fixture('workforce.json');
const targets = fixture('targets.json').targets;
const submissions = fixture('submissions.json').submissions;
const findingsBySubmission = fixture('findings.json').findings;
const quarantineRows = fixture('quarantine.json').rows;
const projectionParameters = fixture('projection-parameters.json');

// The fixture also holds mock-only fields (bases, direction, window, unit kind); the API
// serves the declaration fields of docs/api.md.
const UNIT_TEXT = { percent: '%', count: 'headcount', fte: 'FTE', rate_per_100k: 'FTE per 100,000 residents' };
const servedDefinitions = {
  metrics: definitions.metrics.map((d) => ({
    name: d.name, label: d.label, unit: UNIT_TEXT[d.unit] ?? d.unit, family: d.family, description: d.description,
    numerator: d.numerator, denominator: d.denominator, needs: d.needs.filter((f) => f !== 'aggregate_returns.csv'),
    aggregate: d.needs.includes('aggregate_returns.csv'), category: '',
    scopes: d.name === 'fte_per_100k_population' ? ['system', 'place'] : [], breakdowns: ['staff_group', 'role'], example: '',
  })),
};
const defByName = new Map(definitions.metrics.map((d) => [d.name, d]));
const months = catalog.months;
const monthIndex = new Map(months.map((m, i) => [m, i]));
const latest = catalog.latest_month;
const orgs = catalog.organisations;
const orgByCode = new Map(orgs.map((o) => [o.org_code, o]));
const places = catalog.places.map((p) => p.place);
const sectors = catalog.sectors.map((s) => s.sector);
const staffGroups = catalog.staff_groups.map((g) => g.staff_group);
const roleByCode = new Map(catalog.roles.map((r) => [r.role_code, r]));
const rolesOf = (sg) => catalog.roles.filter((r) => r.staff_group === sg).map((r) => r.role_code);

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
const bad = (parameter, value, message, extra = {}) =>
  new ApiError(400, 'bad_parameter', message, { parameter, value, ...extra });

// ---------------------------------------------------------------- deterministic noise
function hash(str) {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 4294967296; // [0,1)
}
const noise = (...keys) => hash(keys.join('|')) * 2 - 1; // [-1,1)

// ---------------------------------------------------------------- the workforce model
const sectorRates = {
  // turnover %, vacancy %, sickness %, agency %, bank %, fill %, 55+ %, growth %/yr, intl share of joiners %, em senior %
  acute: [10.5, 7.6, 4.9, 3.9, 6.2, 86, 17, 2.4, 31, 13.5],
  community: [12.8, 9.1, 5.6, 2.8, 4.1, 81, 26, 1.5, 14, 11.0],
  mental_health: [13.4, 10.2, 5.9, 6.4, 7.5, 78, 22, 2.0, 18, 15.5],
  ambulance: [11.2, 6.4, 6.8, 0.9, 3.0, 74, 14, 1.8, 4, 6.0],
  primary_care: [13.9, 8.8, 3.6, 1.2, 2.0, 70, 24, 4.1, 11, 9.0],
  social_care: [26.5, 9.9, 3.1, 2.2, 1.0, 65, 29, 1.2, 36, 8.0],
  vcse: [19.5, 7.0, 3.3, 0.5, 0.5, 60, 31, 0.8, 6, 7.0],
  other: [12, 8, 4, 2, 2, 75, 20, 1, 10, 10],
};
const groupAdjust = { medical: [-2.5, 1.5, -2.0], nursing: [-0.8, 2.4, 0.2], social_care_direct: [3.5, 1.2, 0.3], gp: [-1.5, 2.8, -1.0], support_to_clinical: [2.2, -0.5, 1.1], infrastructure: [-0.6, -2.0, -0.4] };
const fteRatio = { medical: 0.93, gp: 0.74, nursing: 0.88, midwifery: 0.82, social_care_direct: 0.71, primary_care_admin: 0.72, vcse: 0.66 };

function isMissing(org, month) {
  return (workforce.missing[org] || []).includes(month);
}
function headcount(org, sg, mi) {
  const o = orgByCode.get(org);
  const share = workforce.composition[o.sector]?.[sg] ?? 0;
  if (!share) return 0;
  const growth = sectorRates[o.sector][7] + 0.8 * noise(org, sg, 'g');
  const t = (mi - (months.length - 1)) / 12;
  return workforce.headcount[org] * share * Math.pow(1 + growth / 100, t) * (1 + 0.004 * noise(org, sg, mi));
}
function roleShare(role) {
  const r = roleByCode.get(role);
  const list = rolesOf(r.staff_group);
  const weights = list.map((c, i) => (i === 0 ? 2.5 : 1) * (0.6 + hash(c)));
  return weights[list.indexOf(role)] / weights.reduce((a, b) => a + b, 0);
}
function rate(org, sg, mi, k, amp = 0.12) {
  const o = orgByCode.get(org);
  const base = sectorRates[o.sector][k] + (groupAdjust[sg]?.[k] ?? 0);
  const trend = k === 1 || k === 0 || k === 3 ? -0.012 * (mi - 24) : 0; // improving lately
  const season = k === 2 ? 0.9 * Math.cos(((mi + 3) / 12) * 2 * Math.PI) : 0; // winter peak
  return Math.max(0.2, base * (1 + amp * noise(org, sg, k)) + trend * base / 10 + season + 0.15 * noise(org, sg, k, mi));
}
const daysIn = (m) => Number(m.slice(8, 10));

/** One org × staff group × month contribution {num, den} to a metric on a basis, or null. */
function contribution(metric, basis, org, sg, mi) {
  const o = orgByCode.get(org);
  const month = months[mi];
  if (isMissing(org, month)) return null;
  const rec = o.data_level === 'record';
  const hc = headcount(org, sg, mi);
  if (hc <= 0) return null;
  const fte = hc * (fteRatio[sg] ?? 0.86);
  const prev = mi >= 12 && !isMissing(org, months[mi - 12]) ? headcount(org, sg, mi - 12) : null;
  switch (metric) {
    case 'sip_headcount': return { num: Math.round(hc), den: null };
    case 'sip_fte': return { num: fte, den: null };
    case 'vacancy_rate': {
      const v = rate(org, sg, mi, 1) / 100;
      if (basis === 'fte' && rec && o.sector !== 'primary_care') { const funded = fte / (1 - v); return { num: funded - fte, den: funded }; }
      if (basis === 'posts' && !rec) { const vac = hc * v / (1 - v); return { num: vac, den: hc + vac }; }
      return null;
    }
    case 'turnover_rate':
    case 'rolling_turnover_rate': {
      if (prev === null) return null;
      if (metric === 'rolling_turnover_rate' && !rec) return null;
      const r = rate(org, sg, mi, 0) * (metric === 'rolling_turnover_rate' ? 0.94 : 1) / 100;
      const mean = (prev + hc) / 2 * (basis === 'fte' ? (fteRatio[sg] ?? 0.86) : 1);
      return { num: mean * r, den: mean };
    }
    case 'stability_index': {
      if (prev === null) return null;
      const r = rate(org, sg, mi, 0) / 100;
      return { num: prev * (1 - r * 0.92), den: prev };
    }
    case 'system_retention_rate': {
      if (prev === null || !rec) return null;
      const r = rate(org, sg, mi, 0) / 100;
      return { num: prev * (1 - r * 0.55), den: prev };
    }
    case 'sickness_absence_rate': {
      const avail = fte * daysIn(month);
      return { num: avail * rate(org, sg, mi, 2, 0.2) / 100, den: avail };
    }
    case 'agency_share_of_pay':
    case 'bank_share_of_pay': {
      if (!rec || o.sector === 'primary_care') return null;
      const bill = fte * 3650;
      return { num: bill * rate(org, sg, mi, metric === 'agency_share_of_pay' ? 3 : 4, 0.3) / 100, den: bill };
    }
    case 'shift_fill_rate': {
      if (!rec || o.sector === 'primary_care') return null;
      const req = fte * 0.55;
      return { num: req * Math.min(99, rate(org, sg, mi, 5, 0.05)) / 100, den: req };
    }
    case 'age_55_plus_share': return { num: hc * rate(org, sg, mi, 6, 0.15) / 100, den: hc };
    case 'fte_growth_12m': {
      if (prev === null) return null;
      const f0 = prev * (fteRatio[sg] ?? 0.86);
      return { num: fte - f0, den: f0 };
    }
    case 'international_share_of_joiners': {
      if (prev === null) return null;
      const joiners = hc * rate(org, sg, mi, 0) / 100 * 1.05;
      return { num: joiners * rate(org, sg, mi, 8, 0.25) / 100, den: joiners };
    }
    case 'ethnic_minority_share_senior': {
      if (!rec) return null;
      const senior = hc * 0.07;
      return { num: senior * rate(org, sg, mi, 9, 0.3) / 100, den: senior };
    }
    case 'fte_per_100k_population': return { num: fte, den: null };
    default: return null;
  }
}

function orgsInScope(scopeType, scope) {
  switch (scopeType) {
    case 'system': return orgs;
    case 'place': return orgs.filter((o) => o.place === scope);
    case 'sector': return orgs.filter((o) => o.sector === scope);
    case 'org': return orgs.filter((o) => o.org_code === scope);
  }
  return [];
}

const HEADCOUNT_COUNTS = new Set(['sip_headcount', 'turnover_rate', 'stability_index', 'system_retention_rate', 'rolling_turnover_rate', 'age_55_plus_share', 'international_share_of_joiners', 'ethnic_minority_share_senior']);
const round5 = (x) => Math.round(x / 5) * 5;

/** A MetricResult for one cell. */
function compute(metric, basis, mi, scopeType, scope, staffGroup, roleCode, disclosure = true) {
  const inScope = orgsInScope(scopeType, scope);
  const groups = staffGroup === 'all' ? staffGroups : [staffGroup];
  const share = roleCode === 'all' ? 1 : roleShare(roleCode);
  let num = 0, den = 0, covered = 0, any = false;
  const def0 = defByName.get(metric);
  for (const o of inScope) {
    let contributed = false;
    for (const sg of groups) {
      const c = contribution(metric, basis, o.org_code, sg, mi);
      if (!c) continue;
      num += c.num * share;
      den += (c.den ?? 0) * share;
      contributed = true;
    }
    // An organisation with the needed files but no staff in this group still counts as covered.
    const ownGroup = Object.keys(workforce.composition[o.sector] ?? {})[0];
    if (contributed || (ownGroup && contribution(metric, basis, o.org_code, ownGroup, mi))) covered++;
    any = any || contributed;
  }
  const result = {
    metric, period_end: months[mi], scope_type: scopeType, scope, staff_group: staffGroup, role_code: roleCode,
    category: '', value: null, numerator: null, denominator: null, basis, coverage_orgs: covered, total_orgs: inScope.length,
    available: any, suppressed: false, files: any ? def0.needs.filter((f) => f !== 'population.csv' || metric === 'fte_per_100k_population') : [], options: '',
  };
  if (!any && covered === 0) return result;
  result.available = true;
  const def = defByName.get(metric);
  if (metric === 'fte_per_100k_population') {
    if (scopeType !== 'system' && scopeType !== 'place') { result.available = false; return result; }
    const pop = scopeType === 'system' ? Object.values(workforce.population).reduce((a, b) => a + b, 0) : workforce.population[scope];
    result.numerator = num; result.denominator = pop; result.value = num / pop * 1e5;
    return result;
  }
  let value = def.unit === 'percent' ? (den > 0 ? num / den * 100 : null) : num;
  let outNum = num, outDen = def.unit === 'percent' ? den : null;
  if (disclosure && HEADCOUNT_COUNTS.has(metric) && basis === 'headcount') {
    const n = Math.round(num), d = outDen === null ? null : Math.round(den);
    if ((n >= 1 && n <= 4) || (d !== null && d >= 1 && d <= 4)) {
      return { ...result, suppressed: true };
    }
    outNum = round5(n);
    outDen = d === null ? null : round5(d);
  }
  result.value = def.unit === 'percent' ? value : outNum;
  result.numerator = outNum;
  result.denominator = outDen;
  return result;
}

// ---------------------------------------------------------------- parameter parsing
function params(url, allowed) {
  const out = {};
  for (const [k, v] of url.searchParams) {
    if (!allowed.includes(k)) {
      throw new ApiError(400, 'unknown_parameter', `unknown query parameter '${k}' for ${url.pathname}`, { parameter: k, allowed });
    }
    if (k in out) throw bad(k, v, `${k} is given more than once`);
    if (v !== '') out[k] = v;
  }
  return out;
}
function oneOf(p, name, allowed, dflt) {
  const v = p[name] ?? dflt;
  if (v === undefined) return undefined;
  if (!allowed.includes(v)) throw bad(name, v, `${name} must be one of ${allowed.join(', ')}; got '${v}'`, { allowed });
  return v;
}
function isMonthEnd(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  return m >= 1 && m <= 12 && new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
}
function monthEndOf(s) {
  const [y, m] = s.split('-').map(Number);
  return `${y}-${String(m).padStart(2, '0')}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
function date(p, name, dflt) {
  const v = p[name];
  if (v === undefined) return dflt;
  if (!isMonthEnd(v)) {
    const extra = /^\d{4}-\d{2}-\d{2}$/.test(v) ? { nearest: monthEndOf(v) } : {};
    throw bad(name, v, `${name} must be a month end date YYYY-MM-DD; got '${v}'`, extra);
  }
  return v;
}
function scopeOf(p) {
  const scopeType = oneOf(p, 'scope_type', ['system', 'place', 'sector', 'org'], 'system');
  let scope = p.scope;
  if (scopeType === 'system') {
    if (scope !== undefined && scope !== 'system') throw bad('scope', scope, `scope must be 'system' when scope_type is system; got '${scope}'`, { allowed: ['system'] });
    scope = 'system';
  } else {
    const allowed = scopeType === 'place' ? places : scopeType === 'sector' ? sectors : orgs.map((o) => o.org_code);
    if (scope === undefined) throw new ApiError(400, 'missing_parameter', `scope is required when scope_type is ${scopeType}`, { parameter: 'scope' });
    if (!allowed.includes(scope)) throw bad('scope', scope, `unknown ${scopeType} '${scope}'`, { allowed });
  }
  let staffGroup = oneOf(p, 'staff_group', ['all', ...staffGroups], 'all');
  const roleCode = oneOf(p, 'role_code', ['all', ...catalog.roles.map((r) => r.role_code)], 'all');
  if (roleCode !== 'all') {
    const sg = roleByCode.get(roleCode).staff_group;
    if (staffGroup === 'all') staffGroup = sg;
    else if (staffGroup !== sg) throw bad('role_code', roleCode, `role_code '${roleCode}' belongs to staff group '${sg}', not '${staffGroup}'`, { allowed: rolesOf(staffGroup) });
  }
  return { scopeType, scope, staffGroup, roleCode };
}
function metricNames(p, required) {
  if (p.metric === undefined) {
    if (required) throw new ApiError(400, 'missing_parameter', 'metric is required', { parameter: 'metric' });
    return definitions.metrics.map((d) => d.name);
  }
  const names = p.metric.split(',');
  if (required && names.length !== 1) throw bad('metric', p.metric, 'metric must be one metric name', { allowed: [...defByName.keys()] });
  for (const n of names) if (!defByName.has(n)) throw bad('metric', n, `unknown metric '${n}'`, { allowed: [...defByName.keys()] });
  return names;
}
function basesFor(name, p, scopeOrgs) {
  const def = defByName.get(name);
  if (p.basis !== undefined) {
    if (!def.bases.includes(p.basis)) throw bad('basis', p.basis, `basis for ${name} must be one of ${def.bases.join(', ')}; got '${p.basis}'`, { allowed: def.bases });
    return [p.basis];
  }
  if (name === 'vacancy_rate') {
    const b = [];
    if (scopeOrgs.some((o) => o.data_level === 'record' && o.sector !== 'primary_care')) b.push('fte');
    if (scopeOrgs.some((o) => o.data_level === 'aggregate')) b.push('posts');
    return b.length ? b : ['fte'];
  }
  return [def.bases[0]];
}
function intParam(p, name, dflt, min, max) {
  const v = p[name];
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw bad(name, v, `${name} must be an integer from ${min} to ${max}; got '${v}'`, { range: [min, max] });
  return Number(v);
}

// ---------------------------------------------------------------- breakdown members
function members(by, s) {
  const inScope = orgsInScope(s.scopeType, s.scope);
  const cell = (scopeType, scope, staffGroup = s.staffGroup, roleCode = s.roleCode) => ({ scopeType, scope, staffGroup, roleCode });
  switch (by) {
    case 'place': return places.filter((pl) => inScope.some((o) => o.place === pl)).map((pl) => cell('place', pl));
    case 'sector': return sectors.filter((se) => inScope.some((o) => o.sector === se)).map((se) => cell('sector', se));
    case 'org': return inScope.map((o) => cell('org', o.org_code));
    case 'staff_group': return staffGroups.filter((g) => inScope.some((o) => workforce.composition[o.sector]?.[g])).map((g) => cell(s.scopeType, s.scope, g, 'all'));
    case 'role': {
      const present = staffGroups.filter((g) => inScope.some((o) => workforce.composition[o.sector]?.[g]));
      const groups = s.staffGroup === 'all' ? present : [s.staffGroup].filter((g) => present.includes(g));
      return groups.flatMap((g) => rolesOf(g).map((r) => cell(s.scopeType, s.scope, g, r)));
    }
  }
  return [s];
}

// ---------------------------------------------------------------- endpoints
function health() {
  return { status: 'ok', schema_version: 1, last_import: submissions[0].received_at };
}

function metrics(url) {
  const p = params(url, ['metric', 'at', 'scope_type', 'scope', 'staff_group', 'role_code', 'by', 'basis']);
  const names = metricNames(p, false);
  const at = date(p, 'at', latest);
  const s = scopeOf(p);
  const by = oneOf(p, 'by', ['place', 'sector', 'org', 'staff_group', 'role'], undefined);
  if (by === 'staff_group' && s.staffGroup !== 'all') throw bad('by', by, 'by=staff_group needs staff_group=all');
  if (by === 'role' && s.roleCode !== 'all') throw bad('by', by, 'by=role needs role_code=all');
  if (p.basis !== undefined && names.length > 1) for (const n of names) basesFor(n, p, []);
  const mi = monthIndex.get(at);
  const results = [];
  for (const m of by ? members(by, s) : [s]) {
    for (const name of names) {
      for (const basis of basesFor(name, p, orgsInScope(m.scopeType, m.scope))) {
        if (mi === undefined) {
          results.push({ metric: name, period_end: at, scope_type: m.scopeType, scope: m.scope, staff_group: m.staffGroup, role_code: m.roleCode, category: '', value: null, numerator: null, denominator: null, basis, coverage_orgs: 0, total_orgs: orgsInScope(m.scopeType, m.scope).length, available: false, suppressed: false, files: [], options: '' });
        } else {
          results.push(compute(name, basis, mi, m.scopeType, m.scope, m.staffGroup, m.roleCode));
        }
      }
    }
  }
  return { at, scope_type: s.scopeType, scope: s.scope, staff_group: s.staffGroup, role_code: s.roleCode, by: by ?? null, results };
}

function addMonths(monthEnd, n) {
  const [y, m] = monthEnd.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  return monthEndOf(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`);
}
function monthsBetween(a, b) {
  const [ya, ma] = a.split('-').map(Number), [yb, mb] = b.split('-').map(Number);
  return (yb * 12 + mb) - (ya * 12 + ma);
}

function series(url) {
  const p = params(url, ['metric', 'scope_type', 'scope', 'staff_group', 'role_code', 'from', 'to', 'basis']);
  const [name] = metricNames(p, true);
  const s = scopeOf(p);
  const to = date(p, 'to', latest);
  const from = date(p, 'from', addMonths(to, -23));
  if (monthsBetween(from, to) < 0) throw bad('from', from, `from (${from}) is after to (${to})`);
  if (monthsBetween(from, to) > 119) throw bad('from', from, 'a series has at most 120 months');
  const points = [];
  const bases = basesFor(name, p, orgsInScope(s.scopeType, s.scope));
  for (let d = from; monthsBetween(d, to) >= 0; d = addMonths(d, 1)) {
    const mi = monthIndex.get(d);
    for (const basis of bases) {
      points.push(mi === undefined
        ? { metric: name, period_end: d, scope_type: s.scopeType, scope: s.scope, staff_group: s.staffGroup, role_code: s.roleCode, category: '', value: null, numerator: null, denominator: null, basis, coverage_orgs: 0, total_orgs: orgsInScope(s.scopeType, s.scope).length, available: false, suppressed: false, files: [], options: '' }
        : compute(name, basis, mi, s.scopeType, s.scope, s.staffGroup, s.roleCode));
    }
  }
  return { metric: name, scope_type: s.scopeType, scope: s.scope, staff_group: s.staffGroup, role_code: s.roleCode, from, to, points };
}

function outcomes(url) {
  const p = params(url, ['scope', 'indicator']);
  const scopes = ['system', ...sectors.map((x) => `sector:${x}`), ...places.map((x) => `place:${x}`), ...orgs.map((o) => `org:${o.org_code}`)];
  if (p.scope !== undefined && !scopes.includes(p.scope)) throw bad('scope', p.scope, `unknown scope '${p.scope}'; use system, sector:<sector>, place:<place> or org:<org_code>`, { allowed: scopes });
  if (p.indicator !== undefined && !defByName.has(p.indicator)) throw bad('indicator', p.indicator, `unknown indicator '${p.indicator}'`, { allowed: [...defByName.keys()] });
  const rows = [];
  const indicatorOrder = [...new Set(targets.map((t) => t[0]))];
  const keyed = new Map(targets.map((t) => [`${t[0]}|${t[1]}|${t[2]}`, t]));
  const years = ['2022/23', '2023/24', '2024/25', '2025/26'];
  const actualFor = (ind, scope, year) => {
    const march = `20${year.slice(5)}-03-31`;
    const mi = monthIndex.get(march);
    if (mi === undefined) return null;
    const [st, sc] = scope === 'system' ? ['system', 'system'] : scope.split(':');
    const scopeOrgs = orgsInScope(st, sc);
    const def = defByName.get(ind);
    let bases = def.bases;
    if (ind === 'vacancy_rate') bases = basesFor(ind, {}, scopeOrgs);
    const r = compute(ind, bases[0], mi, st, sc, 'all', 'all');
    return r.value;
  };
  for (const ind of indicatorOrder) {
    if (p.indicator && p.indicator !== ind) continue;
    const scopeList = [...new Set(targets.filter((t) => t[0] === ind).map((t) => t[1]))];
    for (const scope of scopeList) {
      if (p.scope && p.scope !== scope) continue;
      const def = defByName.get(ind);
      let prev = null;
      for (const year of years) {
        const t = keyed.get(`${ind}|${scope}|${year}`);
        const actual = actualFor(ind, scope, year);
        if (!t && actual === null) { prev = actual; continue; }
        const direction = t ? t[4] : def.direction;
        const target = t ? t[3] : null;
        const lower = direction === 'lower_is_better';
        let rag = 'none';
        if (actual !== null && target !== null) {
          if (lower ? actual <= target : actual >= target) rag = 'green';
          else if (lower ? actual <= target * 1.1 : actual >= target * 0.9) rag = 'amber';
          else rag = 'red';
        }
        let travel = 'none';
        if (actual !== null && prev !== null) {
          const change = actual - prev;
          if (Math.abs(change) < 1e-9) travel = 'stable';
          else travel = (change < 0) === lower ? 'improving' : 'worsening';
        }
        rows.push({ indicator: ind, scope, year, actual, target, rag, direction, travel });
        prev = actual;
      }
    }
  }
  const usedYears = years.filter((y) => rows.some((r) => r.year === y));
  const indicators = [...new Set(rows.map((r) => r.indicator))].map((i) => {
    const d = defByName.get(i);
    return { indicator: i, label: d.label, unit: d.unit, direction: rows.find((r) => r.indicator === i).direction };
  });
  return { years: usedYears, indicators, rows };
}

function periodOk(v) {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
}
function dataQuality(url) {
  const p = params(url, ['from', 'to']);
  for (const k of ['from', 'to']) if (p[k] !== undefined && !periodOk(p[k])) throw bad(k, p[k], `${k} must be a period YYYY-MM; got '${p[k]}'`);
  const to = p.to ?? latest.slice(0, 7);
  const toEnd = monthEndOf(to);
  const from = p.from ?? addMonths(toEnd, -11).slice(0, 7);
  const n = monthsBetween(monthEndOf(from), toEnd);
  if (n < 0) throw bad('from', from, `from (${from}) is after to (${to})`);
  if (n > 35) throw bad('from', from, 'at most 36 periods');
  const periods = [];
  for (let d = monthEndOf(from); monthsBetween(d, toEnd) >= 0; d = addMonths(d, 1)) periods.push(d.slice(0, 7));
  const filesOf = (o) => o.data_level === 'record'
    ? (o.sector === 'primary_care' ? ['staff_in_post.csv', 'leavers.csv', 'absence.csv'] : ['staff_in_post.csv', 'leavers.csv', 'absence.csv', 'establishment.csv', 'temporary_staffing.csv', 'pay_costs.csv'])
    : ['aggregate_returns.csv'];
  const organisations = orgs.map((o) => ({
    ...o,
    cells: periods.map((period) => {
      const me = monthEndOf(period);
      const mi = monthIndex.get(me);
      const present = mi !== undefined && !isMissing(o.org_code, me);
      const rows = present ? (o.data_level === 'record' ? Math.round(workforce.headcount[o.org_code] * 1.04 * (1 + 0.01 * noise(o.org_code, period))) : Object.keys(workforce.composition[o.sector]).length * 3) : 0;
      return { period, status: present ? 'submitted' : 'missing', rows, files: present ? filesOf(o) : [] };
    }),
  }));
  const lastIdx = periods.length - 1;
  const coverage = sectors.filter((se) => orgs.some((o) => o.sector === se)).map((se) => {
    const list = organisations.filter((o) => o.sector === se);
    const sub = list.filter((o) => o.cells[lastIdx].status === 'submitted');
    const fileNames = [...new Set(list.flatMap((o) => filesOf(o)))];
    return {
      sector: se, total_orgs: list.length, submitted_orgs: sub.length, coverage_pct: sub.length / list.length * 100,
      files: fileNames.map((f) => ({ file_name: f, orgs: sub.filter((o) => o.cells[lastIdx].files.includes(f)).length })),
    };
  });
  const count = (outcome) => submissions.filter((s) => s.outcome === outcome).length;
  return {
    periods, organisations, coverage,
    totals: {
      submissions: submissions.length, accepted: count('accepted'), accepted_with_quarantine: count('accepted_with_quarantine'), rejected: count('rejected'),
      quarantined_rows: quarantineRows.length, errors: submissions.reduce((a, s) => a + s.errors, 0), warnings: submissions.reduce((a, s) => a + s.warnings, 0),
    },
  };
}

function submissionList(url) {
  const p = params(url, ['org', 'outcome', 'limit', 'offset']);
  if (p.org !== undefined && !orgByCode.has(p.org)) throw bad('org', p.org, `unknown org '${p.org}'`, { allowed: orgs.map((o) => o.org_code) });
  const outcome = oneOf(p, 'outcome', ['accepted', 'accepted_with_quarantine', 'rejected'], undefined);
  const limit = intParam(p, 'limit', 100, 1, 1000);
  const offset = intParam(p, 'offset', 0, 0, 1e9);
  const list = submissions.filter((s) => (!p.org || s.organisations.includes(p.org)) && (!outcome || s.outcome === outcome));
  return { total: list.length, limit, offset, submissions: list.slice(offset, offset + limit) };
}

function findings(url) {
  const p = params(url, ['submission_id', 'severity', 'limit']);
  if (p.submission_id === undefined) throw new ApiError(400, 'missing_parameter', 'submission_id is required', { parameter: 'submission_id' });
  const id = intParam(p, 'submission_id', 0, 1, 1e12);
  const severity = oneOf(p, 'severity', ['error', 'warning'], undefined);
  const limit = intParam(p, 'limit', 200, 1, 5000);
  if (!submissions.some((s) => s.id === id)) throw new ApiError(404, 'not_found', `no submission ${id}`, { parameter: 'submission_id', value: p.submission_id });
  const list = (findingsBySubmission[id] || []).filter((f) => !severity || f.severity === severity);
  return { submission_id: id, total: list.length, findings: list.slice(0, limit) };
}

function quarantine(url) {
  const p = params(url, ['submission_id', 'limit', 'offset']);
  const id = p.submission_id === undefined ? undefined : intParam(p, 'submission_id', 0, 1, 1e12);
  const limit = intParam(p, 'limit', 200, 1, 5000);
  const offset = intParam(p, 'offset', 0, 0, 1e9);
  const list = quarantineRows.filter((r) => id === undefined || r.submission_id === id);
  return { total: list.length, limit, offset, rows: list.slice(offset, offset + limit) };
}

// ---------------------------------------------------------------- projection
const YEARS = (() => {
  const out = [];
  for (let t = 0; t <= projectionParameters.horizon_years; t++) {
    const y = 2024 + t;
    out.push(`${y}/${String((y + 1) % 100).padStart(2, '0')}`);
  }
  return out;
})();
const unitCost = { medical: 118000, gp: 112000, nursing: 52000, midwifery: 53000, ambulance: 47000, ahp: 50000, healthcare_science: 55000, support_to_clinical: 31000, infrastructure: 36000, primary_care_direct: 41000, primary_care_admin: 27000, social_care_direct: 25500, social_care_regulated: 43000, social_care_management: 39000, social_care_other: 24000, vcse: 27000 };
const leaverRate = (sector, sg) => (sectorRates[sector][0] + (groupAdjust[sg]?.[0] ?? 0)) / 100;
const savedScenarios = new Map();
const z90 = 1.2816;
function normalCdf(x) {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989423 * Math.exp(-x * x / 2);
  const p = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
  return x > 0 ? 1 - p : p;
}

function matches(iv, o, sg) {
  if ((iv.staff_group ?? 'all') !== 'all' && iv.staff_group !== sg) return false;
  if ((iv.role_code ?? 'all') !== 'all' && roleByCode.get(iv.role_code)?.staff_group !== sg) return false;
  const st = iv.scope_type ?? 'system';
  if (st === 'place' && o.place !== iv.scope) return false;
  if (st === 'sector' && o.sector !== iv.scope) return false;
  if (st === 'org' && o.org_code !== iv.scope) return false;
  return true;
}

/** Closed-form projection of one org × staff group cell: arrays over years of {mean, sd}. */
function projectCell(o, sg, interventions, overrides) {
  const mi = months.length - 1;
  const fte0 = headcount(o.org_code, sg, mi) * (fteRatio[sg] ?? 0.86);
  if (fte0 <= 0) return null;
  const vac = rate(o.org_code, sg, mi, 1) / 100;
  const demand0 = fte0 / (1 - vac);
  const l0 = leaverRate(o.sector, sg);
  const growth = (overrides.demand_growth ?? 1.1) / 100 * (o.sector === 'social_care' ? 1.6 : o.sector === 'primary_care' ? 1.2 : 1);
  const productivity = (overrides.productivity_gain ?? 0) / 100;
  const baseJoinRate = l0 * (o.sector === 'social_care' ? 0.985 : 1.004);
  // An absolute intervention (recruits per year, FTE) is shared over the cells it applies to by FTE.
  const shareOf = (iv) => fte0 / orgs.reduce((a, x) => a + Object.keys(workforce.composition[x.sector] ?? {}).filter((g) => matches(iv, x, g)).reduce((b, g) => b + headcount(x.org_code, g, mi) * (fteRatio[g] ?? 0.86), 0), 0);
  const sup = [fte0], dem = [demand0], sdS = [0], sdD = [0], agency = [];
  const shares = new Map();
  let s = fte0;
  for (let t = 1; t < YEARS.length; t++) {
    const year = YEARS[t];
    let l = l0, joiners = fte0 * baseJoinRate, g = growth, prod = productivity, extraDemand = 0, conv = 0;
    for (const iv of interventions) {
      if (!matches(iv, o, sg)) continue;
      const start = YEARS.indexOf(iv.start_year ?? YEARS[1]);
      if (start < 0 || t < start) continue;
      const ramp = iv.ramp_years ?? 0;
      const f = ramp > 0 ? Math.min(1, (t - start + 1) / ramp) : 1;
      const size = iv.size * f;
      if (!shares.has(iv)) shares.set(iv, shareOf(iv));
      const share = shares.get(iv);
      switch (iv.type) {
        case 'turnover_change': l = Math.max(0.005, l + size / 100); break;
        case 'retirement_deferral': l = l * (1 - 0.175 * size / 100); break;
        case 'training_places': if (t - start >= 3) joiners += size * 0.82 * 0.6 * share; break;
        case 'international_recruitment': joiners += size * 0.95 * share; break;
        case 'apprenticeships': if (t - start >= 2) joiners += size * 0.75 * share; break;
        case 'return_to_practice': joiners += size * 0.8 * share; break;
        case 'bank_to_substantive': joiners += size * 0.9 * share; break;
        case 'new_role': extraDemand -= size * share * 0.5; joiners += size * share * 0.5 / Math.max(1, 16 - start); break;
        case 'demand_growth': g += size / 100; break;
        case 'productivity': prod += size / 100; break;
      }
    }
    s = s * (1 - l) + joiners + conv * fte0 * 0.03 / 15;
    sup.push(s);
    dem.push(dem[t - 1] * (1 + g) * (1 - prod) + extraDemand / 15);
    sdS.push(Math.sqrt(t) * Math.sqrt(fte0 * l * (1 - l) + 1) * 1.1 + fte0 * 0.004 * t);
    sdD.push(demand0 * 0.006 * t);
    agency.push(0);
  }
  return { sup, dem, sdS, sdD, cost: unitCost[sg] ?? 35000 };
}

function describe(iv) {
  const where = iv.scope_type === 'system' ? 'the system' : iv.scope;
  const who = iv.role_code !== 'all' ? iv.role_code : iv.staff_group !== 'all' ? iv.staff_group : 'all staff';
  return `${iv.type.replace(/_/g, ' ')} ${iv.size} for ${who} in ${where} from ${iv.start_year}`;
}

function runProjection({ name, description, runs, seed, interventions, overrides, s, by, threshold, skipAttribution = false }) {
  const started = performance.now();
  const mems = by ? members(by === 'role' ? 'role' : by, s) : [s];
  const series = [];
  const gapTable = [];
  for (const m of mems) {
    const inScope = orgsInScope(m.scopeType, m.scope);
    const groups = m.staffGroup === 'all' ? staffGroups : [m.staffGroup];
    const roleF = m.roleCode === 'all' ? 1 : roleShare(m.roleCode);
    const agg = YEARS.map(() => ({ s: 0, d: 0, vs: 0, vd: 0, c: 0, cs: 0 }));
    for (const o of inScope) {
      for (const sg of groups) {
        const c = projectCell(o, sg, interventions, overrides);
        if (!c) continue;
        for (let t = 0; t < YEARS.length; t++) {
          agg[t].s += c.sup[t] * roleF;
          agg[t].d += c.dem[t] * roleF;
          agg[t].vs += (c.sdS[t] * roleF) ** 2;
          agg[t].vd += (c.sdD[t] * roleF) ** 2;
          const short = Math.max(0, c.dem[t] - c.sup[t]) * roleF;
          agg[t].c += c.sup[t] * roleF * c.cost + short * c.cost * (1 + (overrides.agency_premium ?? 55) / 100);
          agg[t].cs += c.sdS[t] * roleF * c.cost;
        }
      }
    }
    const q = (mean, sd) => ({ p10: mean - z90 * sd, p50: mean, p90: mean + z90 * sd });
    agg.forEach((a, t) => {
      const sdG = Math.sqrt(a.vs + a.vd);
      const point = {
        scenario: name, year: YEARS[t], scope_type: m.scopeType, scope: m.scope, staff_group: m.staffGroup, role_code: m.roleCode,
        supply: q(a.s, Math.sqrt(a.vs)), demand: q(a.d, Math.sqrt(a.vd)), gap: q(a.d - a.s, sdG), cost_gbp: q(a.c, a.cs),
      };
      series.push(point);
      if (t === 5 || t === 10 || t === 15) {
        const { scenario, ...rest } = point;
        gapTable.push({ ...rest, horizon_years: t, p_gap_exceeds: sdG > 0 ? 1 - normalCdf((threshold - (a.d - a.s)) / sdG) : (a.d - a.s > threshold ? 1 : 0) });
      }
    });
  }
  // How much of the gap each intervention closes on its own (scope totals, as the engine does).
  const attribution = [];
  if (!by && interventions.length > 0 && !skipAttribution) {
    const base = runProjection({ name, description, runs, seed, interventions: [], overrides, s, by: undefined, threshold, skipAttribution: true });
    for (const iv of interventions) {
      const alone = runProjection({ name, description, runs, seed, interventions: [iv], overrides, s, by: undefined, threshold, skipAttribution: true });
      for (let t = 1; t < YEARS.length; t++) {
        const closed = base.series[t].gap.p50 - alone.series[t].gap.p50;
        const spread = Math.abs(closed) * 0.15;
        attribution.push({ scenario: name, intervention: describe(iv), type: iv.type, year: YEARS[t], gap_closed_fte: { p10: closed - spread, p50: closed, p90: closed + spread } });
      }
    }
  }
  const parameters = projectionParameters.parameters.map((pp) => (pp.name in overrides
    ? { name: pp.name, label: pp.label, unit: pp.unit, value: overrides[pp.name], spread: 0, provenance: 'user', sample_size: null }
    : { spread: 0, ...pp }));
  return {
    scenario: name, description, base_year: YEARS[0], years: YEARS, runs, seed, parameters, interventions,
    series, gap_table: gapTable, attribution,
    assumptions: [
      "Leaver rates are the observed 12-month rates by role and age band, shrunk toward the role's all-ages rate for small cells.",
      'Joiners from outside the system continue at the observed 12-month volumes by source.',
      'Demand grows with the population demand index (ONS projections weighted by service use by age) and any policy growth.',
      'A shortfall is costed at the agency premium; supply at the substantive unit cost per staff group.',
      `Uncertainty: ${runs} replicates; P10 to P90 shown.`,
    ],
    elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

function projectionGet(url) {
  const p = params(url, ['scenario', 'scope_type', 'scope', 'staff_group', 'role_code', 'by', 'threshold_fte']);
  const name = p.scenario ?? 'baseline';
  const s = scopeOf(p);
  const by = oneOf(p, 'by', ['staff_group', 'sector', 'place', 'role'], undefined);
  if (by === 'role' && s.staffGroup === 'all') throw bad('by', by, 'by=role needs a staff_group');
  const threshold = p.threshold_fte === undefined ? 0 : Number(p.threshold_fte);
  if (!Number.isFinite(threshold)) throw bad('threshold_fte', p.threshold_fte, 'threshold_fte must be a number');
  let sc = { name: 'baseline', description: '', runs: projectionParameters.default_runs, seed: projectionParameters.default_seed, interventions: [], parameters: {} };
  if (name !== 'baseline') {
    sc = savedScenarios.get(name);
    if (!sc) throw new ApiError(404, 'not_found', `no saved scenario '${name}'`, { parameter: 'scenario', value: name });
  }
  return runProjection({ name: sc.name, description: sc.description, runs: sc.runs, seed: sc.seed, interventions: sc.interventions, overrides: sc.parameters, s, by, threshold });
}

function invalid(pointer, value, message, extra = {}) {
  return new ApiError(422, 'invalid_scenario', message, { parameter: pointer, value, ...extra });
}
function projectionRun(body) {
  let b;
  try {
    b = JSON.parse(body || '');
  } catch (e) {
    throw new ApiError(400, 'bad_json', 'the request body is not valid JSON', { message: String(e.message) });
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalid('', b, 'the body must be a JSON object');
  const known = ['name', 'description', 'save', 'runs', 'seed', 'interventions', 'parameters', 'scope_type', 'scope', 'staff_group', 'role_code', 'by', 'threshold_fte'];
  for (const k of Object.keys(b)) if (!known.includes(k)) throw invalid(`/${k}`, b[k], `unknown field '${k}'`, { allowed: known });
  const name = b.name ?? 'unsaved';
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) throw invalid('/name', name, 'name must be 1 to 80 characters');
  const description = b.description ?? '';
  if (typeof description !== 'string' || description.length > 500) throw invalid('/description', description, 'description must be at most 500 characters');
  const save = b.save ?? false;
  if (typeof save !== 'boolean') throw invalid('/save', save, 'save must be true or false');
  if (save && b.name === undefined) throw invalid('/name', null, 'name is required when save is true');
  if (save && name === 'baseline') throw new ApiError(409, 'conflict', "a scenario cannot be saved as 'baseline'", { parameter: 'name' });
  const runs = b.runs ?? projectionParameters.default_runs;
  if (!Number.isInteger(runs) || runs < 10 || runs > 10000) throw invalid('/runs', runs, 'runs must be an integer from 10 to 10000', { range: [10, 10000] });
  const seed = b.seed ?? projectionParameters.default_seed;
  if (!Number.isInteger(seed) || seed < 0) throw invalid('/seed', seed, 'seed must be a non-negative integer');
  const interventions = b.interventions ?? [];
  if (!Array.isArray(interventions) || interventions.length > 50) throw invalid('/interventions', interventions, 'interventions must be a list of at most 50');
  const types = new Map(projectionParameters.intervention_types.map((t) => [t.type, t]));
  const clean = interventions.map((iv, i) => {
    const ptr = `/interventions/${i}`;
    if (typeof iv !== 'object' || iv === null) throw invalid(ptr, iv, `${ptr.slice(1)} must be an object`);
    const type = types.get(iv.type);
    if (!type) throw invalid(`${ptr}/type`, iv.type ?? null, `${ptr.slice(1)}/type must be one of ${[...types.keys()].join(', ')}`, { allowed: [...types.keys()] });
    if (typeof iv.size !== 'number' || iv.size < type.min || iv.size > type.max) throw invalid(`${ptr}/size`, iv.size ?? null, `${ptr.slice(1)}/size must be between ${type.min} and ${type.max} for ${type.type}; got ${iv.size}`, { range: [type.min, type.max] });
    const startYear = iv.start_year ?? YEARS[1];
    if (!YEARS.slice(1).includes(startYear)) throw invalid(`${ptr}/start_year`, startYear, `${ptr.slice(1)}/start_year must be a projected year`, { allowed: YEARS.slice(1) });
    const ramp = iv.ramp_years ?? 0;
    if (!Number.isInteger(ramp) || ramp < 0 || ramp > 10) throw invalid(`${ptr}/ramp_years`, ramp, `${ptr.slice(1)}/ramp_years must be an integer from 0 to 10`, { range: [0, 10] });
    let sc;
    try {
      sc = scopeOf({ scope_type: iv.scope_type, scope: iv.scope, staff_group: iv.staff_group, role_code: iv.role_code });
    } catch (e) {
      throw invalid(`${ptr}/${e.details.parameter}`, e.details.value ?? null, e.message, e.details.allowed ? { allowed: e.details.allowed } : {});
    }
    if (type.type === 'new_role' && sc.roleCode === 'all') throw invalid(`${ptr}/role_code`, 'all', 'new_role needs a role_code');
    if (sc.scopeType === 'org') throw invalid(`${ptr}/scope_type`, 'org', 'an intervention applies to the system, a place or a sector', { allowed: ['system', 'place', 'sector'] });
    return { type: type.type, scope_type: sc.scopeType, scope: sc.scope, staff_group: sc.staffGroup, role_code: sc.roleCode, start_year: startYear, size: iv.size, ramp_years: ramp };
  });
  const overrides = b.parameters ?? {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw invalid('/parameters', overrides, 'parameters must be an object of name to number');
  const paramNames = projectionParameters.parameters.map((pp) => pp.name);
  for (const [k, v] of Object.entries(overrides)) {
    if (!paramNames.includes(k)) throw invalid(`/parameters/${k}`, k, `unknown parameter '${k}'`, { allowed: paramNames });
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`/parameters/${k}`, v, `parameter ${k} must be a number`);
  }
  const q = {};
  for (const k of ['scope_type', 'scope', 'staff_group', 'role_code', 'by']) if (b[k] !== undefined && b[k] !== '') q[k] = String(b[k]);
  const s = scopeOf(q);
  const by = oneOf(q, 'by', ['staff_group', 'sector', 'place', 'role'], undefined);
  const threshold = b.threshold_fte ?? 0;
  if (typeof threshold !== 'number') throw bad('threshold_fte', threshold, 'threshold_fte must be a number');
  const result = runProjection({ name, description, runs, seed, interventions: clean, overrides, s, by, threshold });
  if (save) {
    savedScenarios.delete(name);
    savedScenarios.set(name, { name, description, created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), runs, seed, interventions: clean, parameters: overrides });
  }
  return result;
}

function scenarios(url) {
  params(url, []);
  return { scenarios: [...savedScenarios.values()] };
}
function deleteScenario(url) {
  const p = params(url, ['name']);
  if (p.name === undefined) throw new ApiError(400, 'missing_parameter', 'name is required', { parameter: 'name' });
  if (p.name === 'baseline') throw bad('name', p.name, 'the baseline cannot be deleted');
  if (!savedScenarios.has(p.name)) throw new ApiError(404, 'not_found', `no saved scenario '${p.name}'`, { parameter: 'name', value: p.name });
  savedScenarios.delete(p.name);
  return { deleted: p.name };
}

const benchmarkHandlers = makeBenchmarkHandlers({ compute, monthIndex, orgs, params, bad });
const routes = {
  '/api/health': { GET: (u) => (params(u, []), health()) },
  '/api/catalog': { GET: (u) => (params(u, []), catalog) },
  '/api/metric-definitions': { GET: (u) => (params(u, []), servedDefinitions) },
  '/api/metrics': { GET: metrics },
  '/api/series': { GET: series },
  '/api/outcomes': { GET: outcomes },
  '/api/data-quality': { GET: dataQuality },
  '/api/submissions': { GET: submissionList },
  '/api/findings': { GET: findings },
  '/api/quarantine': { GET: quarantine },
  '/api/projection/parameters': { GET: (u) => (params(u, []), projectionParameters) },
  '/api/projection': { GET: projectionGet },
  '/api/projection/run': { POST: (u, body) => (params(u, []), projectionRun(body)) },
  '/api/scenarios': { GET: scenarios, DELETE: deleteScenario },
  '/api/benchmarks': { GET: benchmarkHandlers.benchmarks },
  '/api/benchmarks/cross-check': { GET: benchmarkHandlers.crossCheck },
};

/** Answer one API request: returns {status, body}. */
export function handleApi(method, url, body) {
  try {
    const route = routes[url.pathname];
    if (!route) throw new ApiError(404, 'not_found', `no API endpoint ${url.pathname}`, { path: url.pathname });
    const handler = route[method];
    if (!handler) throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`, { method, allowed: Object.keys(route) });
    return { status: 200, body: handler(url, body) };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: { error: { code: e.code, message: e.message, details: e.details } } };
    return { status: 500, body: { error: { code: 'internal', message: String(e && e.stack || e), details: {} } } };
  }
}

/** Forget saved scenarios (tests start from a clean state). */
export function resetMock() {
  savedScenarios.clear();
}
