// Mock of GET /api/benchmarks and /api/benchmarks/cross-check (docs/api.md): the demo ICS
// declared as ICS "QAA" in the East of England, with invented published figures shaped like
// the NHS Digital publications (sickness absence monthly, turnover benchmarking for October
// and November 2025). Own figures come from the mock's own metric model. Not the method.

const hash = (s) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0) / 4294967296;
};
const r2 = (x) => Math.round(x * 100) / 100;
const text = (x) => {
  const s = r2(x).toFixed(2);
  return s.endsWith('0') ? s.slice(0, -1) : s;
};
const monthEnd = (period) => {
  const [y, m] = period.split('-').map(Number);
  return `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const periodsFrom = (first, count) => {
  const [y, m] = first.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const idx = y * 12 + (m - 1) + i;
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
  });
};

const IDENTITY = { ics_code: 'QAA', ics_name: 'Shire and Vale (mock)', region_code: 'Y61', region_name: 'East of England', partner_codes_are_ods: true };
const NOT_LOADED = "No national benchmarks are loaded. Import the published NHS Digital files with 'careforce benchmarks import <folder> --db <file>' and restart the server.";

const MAPPINGS = [
  { metric: 'sickness_absence_rate_month', benchmark_metric: 'sickness_absence_rate', label: 'Sickness absence rate (%)', window_months: 1, own_comparable: true, periods: periodsFrom('2024-04', 12), base: 5.3,
    note: 'Same method on both sides: FTE days lost to sickness over FTE days available in the month.' },
  { metric: 'sickness_absence_rate', benchmark_metric: 'sickness_absence_rate', label: 'Sickness absence rate (%)', window_months: 12, own_comparable: true, periods: periodsFrom('2024-03', 13), base: 5.1,
    note: 'Published monthly FTE days lost and available summed over the same 12 months (ratio of sums), for months whose 12 months are all published.' },
  { metric: 'leaver_rate_headcount', benchmark_metric: 'leaver_rate_headcount', label: 'Leaver rate, headcount (%)', window_months: 1, own_comparable: false, periods: ['2025-10', '2025-11'], base: 1.0,
    note: 'Published leavers in the month over the mean of staff in post at its start and end. careforce measures turnover over 12 months (turnover_rate), so no own figure is set beside this monthly rate.' },
  { metric: 'leaver_rate_fte', benchmark_metric: 'leaver_rate_fte', label: 'Leaver rate, FTE (%)', window_months: 1, own_comparable: false, periods: ['2025-10', '2025-11'], base: 0.96,
    note: 'As leaver_rate_headcount, in FTE. careforce measures turnover over 12 months, so no own figure is set beside this monthly rate.' },
];

function figure(code, name, value, orgs) {
  const denominator = Math.round(1e6 * (1 + hash(code)));
  return { code, name, value: r2(value), value_text: text(value), numerator: r2(value * denominator / 100), denominator, organisations: orgs };
}

function standing(of, group, label, value, peers) {
  const rank = 1 + peers.filter((v) => v < value).length;
  const count = peers.length + 1;
  const all = [...peers, value];
  return { of, group, label, rank, count, quartile: Math.ceil((4 * rank) / count), lowest: r2(Math.min(...all)), highest: r2(Math.max(...all)) };
}

export function makeBenchmarkHandlers({ compute, monthIndex, orgs, params, bad, loaded = () => true }) {
  const orgCodes = orgs.map((o) => o.org_code);
  function own(metric, period, scopeType, scope) {
    const mi = monthIndex.get(monthEnd(period));
    if (mi === undefined || metric !== 'sickness_absence_rate') return null;
    const r = compute(metric, 'fte_days', mi, scopeType, scope, 'all', 'all');
    if (!r.available) return null;
    return { value: r.value, numerator: r.numerator, denominator: r.denominator, suppressed: r.suppressed, coverage_orgs: r.coverage_orgs, total_orgs: r.total_orgs };
  }
  function month(m, period, scopeType, scope) {
    const season = 0.6 * Math.cos(((Number(period.slice(5, 7)) + 1) / 12) * 2 * Math.PI) * (m.window_months === 12 ? 0.2 : 1);
    const england = m.base + season;
    const mine = m.own_comparable ? own(m.metric, period, scopeType, scope) : null;
    const peers = Array.from({ length: 41 }, (_, i) => england * (0.8 + 0.4 * hash(`${m.metric}|${period}|${i}`)));
    const regionPeers = peers.slice(0, 5);
    const publishedValue = scopeType === 'system' ? england * 1.03 : england * (0.9 + 0.2 * hash(scope));
    const out = {
      period, period_end: monthEnd(period), own: mine,
      published: scopeType === 'system' ? figure('QAA', 'Shire and Vale (mock)', publishedValue, 14) : figure(scope, scope, publishedValue, 1),
      england: figure('ENG', 'England', england, 280), region: figure('Y61', 'East of England', england * 1.02, 34), peers: [],
    };
    if (scopeType === 'system') {
      out.peers.push(standing('published', 'ics_england', 'ICSs in England', publishedValue, peers));
      out.peers.push(standing('published', 'ics_region', 'ICSs in East of England', publishedValue, regionPeers));
      if (mine?.value != null) {
        out.peers.push(standing('own', 'ics_england', 'ICSs in England', mine.value, peers));
        out.peers.push(standing('own', 'ics_region', 'ICSs in East of England', mine.value, regionPeers));
      }
    } else {
      out.peers.push(standing('published', 'org_type', 'Acute organisations', publishedValue, peers));
    }
    return out;
  }
  function benchmarks(url) {
    const p = params(url, ['metric', 'scope_type', 'scope', 'from', 'to']);
    const names = MAPPINGS.map((m) => m.metric);
    if (p.metric !== undefined && !names.includes(p.metric)) throw bad('metric', p.metric, `metric '${p.metric}' has no national benchmark; allowed: ${names.join(', ')}`, { allowed: names });
    const scopeType = p.scope_type ?? 'system';
    if (!['system', 'org'].includes(scopeType)) throw bad('scope_type', scopeType, `scope_type must be one of system, org; got '${scopeType}'`, { allowed: ['system', 'org'] });
    if (scopeType === 'system' && p.scope !== undefined && p.scope !== 'system') throw bad('scope', p.scope, "scope must be 'system' when scope_type is system", { allowed: ['system'] });
    if (scopeType === 'org' && !orgCodes.includes(p.scope)) throw bad('scope', p.scope ?? '', `unknown org '${p.scope ?? ''}'`, { allowed: orgCodes });
    for (const k of ['from', 'to']) if (p[k] !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(p[k])) throw bad(k, p[k], `${k} must be a period YYYY-MM; got '${p[k]}'`);
    if (p.from && p.to && p.from > p.to) throw bad('from', p.from, 'from must not be after to');
    const scope = scopeType === 'system' ? 'system' : p.scope;
    const base = { loaded: loaded(), message: loaded() ? '' : NOT_LOADED, identity: loaded() ? IDENTITY : { ics_code: null, ics_name: null, region_code: null, region_name: null, partner_codes_are_ods: false }, scope_type: scopeType, scope, metrics: [] };
    if (!loaded()) return base;
    for (const m of MAPPINGS) {
      if (p.metric !== undefined && m.metric !== p.metric) continue;
      const periods = m.periods.filter((x) => (!p.from || x >= p.from) && (!p.to || x <= p.to));
      base.metrics.push({ metric: m.metric, benchmark_metric: m.benchmark_metric, label: m.label, window_months: m.window_months, own_comparable: m.own_comparable, note: m.note, months: periods.map((x) => month(m, x, scopeType, scope)) });
    }
    return base;
  }
  function crossCheck(url) {
    const p = params(url, ['period', 'org']);
    if (p.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(p.period)) throw bad('period', p.period, `period must be YYYY-MM; got '${p.period}'`);
    if (p.org !== undefined && !orgCodes.includes(p.org)) throw bad('org', p.org, `unknown org '${p.org}'`, { allowed: orgCodes });
    const out = { loaded: loaded(), message: '', identity: IDENTITY, metric: 'sickness_absence_rate', organisations_checked: [], summary: { rows: 0, matching: 0, differing: 0, no_own_figure: 0 }, rows: [] };
    if (!loaded()) return { ...out, message: NOT_LOADED };
    for (const code of orgCodes.slice(0, 3)) {
      if (p.org && p.org !== code) continue;
      out.organisations_checked.push(code);
      for (const period of ['2025-01', '2025-02', '2025-03']) {
        if (p.period && p.period !== period) continue;
        const lost = 2000 + 1000 * hash(code + period), available = 40000 + 5000 * hash(period + code);
        const differs = code === orgCodes[1] && period === '2025-03';
        const missing = code === orgCodes[2] && period === '2025-02';
        const pubLost = differs ? lost + 180.5 : lost;
        const row = {
          org_code: code, published_org_name: `${code} (published name)`, period, period_end: monthEnd(period), source: `sickness-absence/nhs_sickness_absence_${period}.csv:${2 + Math.floor(100 * hash(code))}`,
          status: missing ? 'no_own_figure' : differs ? 'differs' : 'match',
          own_value: missing ? null : r2((100 * lost) / available), own_value_text: missing ? null : text((100 * lost) / available),
          published_value: r2((100 * pubLost) / available), published_value_text: text((100 * pubLost) / available),
          own_numerator: missing ? null : r2(lost), own_denominator: missing ? null : r2(available), published_numerator: r2(pubLost), published_denominator: r2(available),
          value_difference: missing ? null : r2((100 * lost) / available) - r2((100 * pubLost) / available),
          numerator_difference: missing ? null : r2(lost - pubLost), denominator_difference: missing ? null : 0,
          differences: missing ? ["No own figure: the partner's staff in post or absence for this month is missing or suppressed."]
            : differs ? [`FTE days lost differs by -180.50000 (${lost.toFixed(5)} own, ${pubLost.toFixed(5)} published)`, `rate differs by ${(r2((100 * lost) / available) - r2((100 * pubLost) / available)).toFixed(2)} percentage points (${text((100 * lost) / available)} own, ${text((100 * pubLost) / available)} published)`] : [],
        };
        if (row.value_difference !== null) row.value_difference = r2(row.value_difference);
        out.rows.push(row);
        out.summary[row.status === 'match' ? 'matching' : row.status === 'differs' ? 'differing' : 'no_own_figure']++;
      }
    }
    out.summary.rows = out.rows.length;
    return out;
  }
  return { benchmarks, crossCheck };
}
