// Replaying docs/api-examples.json: placeholder resolution and response shape checks.

/** Resolve {place}, {org}, ... in an example path or body from the server's own data. */
export async function placeholderValues(baseUrl) {
  const get = async (p) => (await fetch(baseUrl + p)).json();
  const cat = await get('/api/catalog');
  const subs = await get('/api/submissions?limit=1000');
  const projection = await get('/api/projection/parameters');
  const firstProjected = /^(\d{4})\//.exec(projection.base_year ?? '');
  const org = cat.organisations[0];
  const months = cat.months;
  const withFindings = subs.submissions.find((s) => s.errors + s.warnings > 0) ?? subs.submissions[0];
  const quarantined = subs.submissions.find((s) => s.quarantined_rows > 0) ?? subs.submissions[0];
  return {
    '{place}': cat.places[0]?.place,
    '{sector}': org?.sector,
    '{org}': org?.org_code,
    '{latest_month}': cat.latest_month,
    '{month_minus_5}': months[Math.max(0, months.length - 6)],
    '{latest_period}': cat.latest_month?.slice(0, 7),
    '{period_minus_2}': months[Math.max(0, months.length - 3)]?.slice(0, 7),
    '{submission_id}': String(withFindings?.id ?? 1),
    '{quarantined_submission_id}': String(quarantined?.id ?? 1),
    // The first projected year: the year after the projection's base year (t = 0).
    '{first_projected_year}': firstProjected ? `${Number(firstProjected[1]) + 1}/${String((Number(firstProjected[1]) + 2) % 100).padStart(2, '0')}` : undefined,
  };
}

export function resolve(text, values) {
  return text.replace(/\{[a-z_0-9]+\}/g, (k) => {
    if (!(k in values)) throw new Error(`unknown placeholder ${k}`);
    return encodeURIComponent(values[k] ?? '');
  });
}
export function resolveBody(body, values) {
  if (body === undefined) return undefined;
  return JSON.parse(JSON.stringify(body).replace(/\{[a-z_0-9]+\}/g, (k) => values[k] ?? k));
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Check that `actual` has the documented shape of `expected`: every key of an expected
 * object is present with a compatible type (null is compatible with any type, as the API
 * uses null for unavailable values); every element of an actual array matches the
 * expected array's first element. Returns a list of problems (empty when it conforms).
 */
export function shapeProblems(expected, actual, path = '$', problems = []) {
  const te = typeOf(expected), ta = typeOf(actual);
  if (te === 'null' || ta === 'null') return problems;
  if (te !== ta) {
    problems.push(`${path}: expected ${te}, got ${ta}`);
    return problems;
  }
  if (te === 'array') {
    if (expected.length > 0) actual.forEach((a, i) => shapeProblems(expected[0], a, `${path}[${i}]`, problems));
  } else if (te === 'object') {
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) problems.push(`${path}.${k}: missing`);
      else shapeProblems(expected[k], actual[k], `${path}.${k}`, problems);
    }
  }
  return problems;
}

/** Shorten arrays to their first `n` elements (recursively) for the documented examples. */
export function trim(value, n = 2) {
  if (Array.isArray(value)) return value.slice(0, n).map((v) => trim(v, n));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trim(v, n)]));
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 1000) / 1000;
  return value;
}
