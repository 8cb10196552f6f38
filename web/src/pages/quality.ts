// Data quality: submissions per organisation and month, coverage by sector, rejected
// submissions with their findings and quarantined rows with their reasons.
import { api, type Submission } from '../api';
import { crossCheckSection, fetchCrossCheck } from '../benchmarks';
import { barChart } from '../charts';
import { byId, html } from '../dom';
import { num, sectorLabel } from '../format';
import type { Route } from '../main';
import { dataTable, statCard, tag } from '../ui';

const OUTCOME: Record<Submission['outcome'], [string, 'green' | 'yellow' | 'red']> = {
  accepted: ['Accepted', 'green'], accepted_with_quarantine: ['Accepted, rows quarantined', 'yellow'], rejected: ['Rejected', 'red'],
};
const periodLabel = (p: string): string => {
  const [y, m] = p.split('-').map(Number);
  return `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
};

export async function qualityPage(main: HTMLElement, _route: Route): Promise<void> {
  const [cat, dq, subs, quarantine, rejected, crossCheck] = await Promise.all([
    api.catalog(), api.dataQuality(), api.submissions({ limit: 30 }), api.quarantine({ limit: 100 }), api.submissions({ outcome: 'rejected', limit: 10 }), fetchCrossCheck(),
  ]);
  const rejectedFindings = await Promise.all(rejected.submissions.map((s) => api.findings({ submission_id: s.id, severity: 'error', limit: 20 })));
  const last = dq.periods[dq.periods.length - 1];
  const orgName = (code: string): string => cat.organisations.find((o) => o.org_code === code)?.org_name ?? code;
  // A submission for a whole ICS names hundreds of organisations: the table names a few
  // (the download has them all).
  const orgList = (codes: string[]): string => (codes.length <= 3 ? codes.map(orgName).join(', ') : `${codes.slice(0, 2).map(orgName).join(', ')} and ${num(codes.length - 2)} more`);

  main.innerHTML = html`
    <h1 class="nhsuk-heading-l">Data quality</h1>
    <p class="nhsuk-body-l">Who has sent what, what was rejected and why. Metrics report how many organisations they cover; a missing submission lowers coverage and is never counted as zero.</p>
    <div class="cf-cards cf-cards--four">
      ${statCard({ title: 'Submissions', value: num(dq.totals.submissions), lines: [`${num(dq.totals.accepted)} accepted`] })}
      ${statCard({ title: 'With quarantined rows', value: num(dq.totals.accepted_with_quarantine), lines: [`${num(dq.totals.quarantined_rows)} rows quarantined`] })}
      ${statCard({ title: 'Rejected', value: num(dq.totals.rejected), lines: [`${num(dq.totals.errors)} errors in all`] })}
      ${statCard({ title: 'Warnings', value: num(dq.totals.warnings), lines: ['Accepted, but worth checking'] })}
    </div>

    <h2 class="nhsuk-heading-m">Coverage by sector, ${periodLabel(last)}</h2>
    <div class="cf-chart cf-chart--bars" id="coverage-chart" data-chart="coverage"></div>
    ${dataTable({
      id: 'coverage-table', caption: `Organisations with staff in post for ${periodLabel(last)}, by sector`,
      head: ['Sector', 'Organisations', 'Submitted', 'Coverage', 'Files received (organisations)'],
      cells: dq.coverage.map((c) => [sectorLabel(cat, c.sector), num(c.total_orgs), num(c.submitted_orgs), `${num(c.coverage_pct, 0)}%`, c.files.map((f) => `${f.file_name}: ${f.orgs}`).join('; ')]),
      data: { columns: ['sector', 'total_orgs', 'submitted_orgs', 'coverage_pct'], rows: dq.coverage.map((c) => [c.sector, c.total_orgs, c.submitted_orgs, c.coverage_pct]) },
      filename: `careforce-coverage-${last}`, numericFrom: 1,
    })}

    <h2 class="nhsuk-heading-m">Submissions by organisation and month</h2>
    ${dataTable({
      id: 'grid-table', caption: `Staff in post received, by organisation and month, ${periodLabel(dq.periods[0])} to ${periodLabel(last)}`,
      head: ['Organisation', ...dq.periods.map(periodLabel)],
      cells: dq.organisations.map((o) => [html`${o.org_name}<br><span class="nhsuk-body-s cf-muted">${o.org_code}, ${sectorLabel(cat, o.sector)}, ${o.data_level}</span>`, ...o.cells.map((c) => (c.status === 'submitted' ? html`<span class="cf-dot cf-dot--ok" title="${num(c.rows)} rows">✓<span class="nhsuk-u-visually-hidden"> submitted</span></span>` : tag('Missing', 'red')))]),
      data: { columns: ['org_code', 'org_name', 'sector', 'place', 'data_level', ...dq.periods], rows: dq.organisations.map((o) => [o.org_code, o.org_name, o.sector, o.place, o.data_level, ...o.cells.map((c) => c.status)]) },
      filename: 'careforce-submission-grid', numericFrom: 99,
    })}

    <h2 class="nhsuk-heading-m" id="cross-check-heading">Cross-check with published figures</h2>
    <p class="nhsuk-body">Each partner's own sickness absence rate, computed from its submission, beside the rate NHS Digital published for its ODS code in the same month.</p>
    ${crossCheckSection(crossCheck, orgName)}

    <h2 class="nhsuk-heading-m">Recent submissions</h2>
    ${dataTable({
      id: 'submissions-table', caption: 'The 30 most recent submissions, newest first',
      head: ['Received', 'Organisation', 'Outcome', 'Rows read', 'Rows rejected', 'Errors', 'Warnings'],
      cells: subs.submissions.map((s) => [s.received_at.replace('T', ' ').replace('Z', ' UTC'), orgList(s.organisations), tag(OUTCOME[s.outcome][0], OUTCOME[s.outcome][1]), num(s.files.reduce((a, f) => a + f.rows_read, 0)), num(s.files.reduce((a, f) => a + f.rows_rejected, 0)), num(s.errors), num(s.warnings)]),
      data: { columns: ['id', 'received_at', 'source', 'organisations', 'outcome', 'rows_read', 'rows_rejected', 'errors', 'warnings', 'quarantined_rows'], rows: subs.submissions.map((s) => [s.id, s.received_at, s.source, s.organisations.join(' '), s.outcome, s.files.reduce((a, f) => a + f.rows_read, 0), s.files.reduce((a, f) => a + f.rows_rejected, 0), s.errors, s.warnings, s.quarantined_rows]) },
      filename: 'careforce-submissions', numericFrom: 3,
    })}

    <h2 class="nhsuk-heading-m">Rejected submissions</h2>
    ${rejected.submissions.length === 0 ? html`<p class="nhsuk-body">No submission has been rejected.</p>` : dataTable({
      id: 'rejected-table', caption: 'Why submissions were rejected (nothing from them was stored)',
      head: ['Submission', 'File', 'Line', 'Column', 'Finding', 'Expected'],
      cells: rejected.submissions.flatMap((s, i) => rejectedFindings[i].findings.map((f) => [html`${orgName(s.organisations[0] ?? '')}<br><span class="nhsuk-body-s cf-muted">${s.source}</span>`, f.file, f.line ? num(f.line) : 'whole file', f.column_name || '–', f.message, f.expected])),
      data: { columns: ['submission_id', 'source', 'file', 'line', 'column_name', 'kind', 'value', 'message', 'expected'], rows: rejected.submissions.flatMap((s, i) => rejectedFindings[i].findings.map((f) => [s.id, s.source, f.file, f.line, f.column_name, f.kind, f.value, f.message, f.expected])) },
      filename: 'careforce-rejected-findings', numericFrom: 99,
    })}

    <h2 class="nhsuk-heading-m">Quarantined rows</h2>
    <p class="nhsuk-body">Rows kept out of an otherwise accepted submission (${num(quarantine.total)} in all${quarantine.total > quarantine.rows.length ? `, the first ${quarantine.rows.length} shown` : ''}).</p>
    ${dataTable({
      id: 'quarantine-table', caption: 'Quarantined rows and the reasons',
      head: ['Submission', 'File and line', 'Reason', 'Row as received'],
      cells: quarantine.rows.map((r) => [String(r.submission_id), `${r.file_name}:${r.line}`, r.findings.map((f) => `${f.message} (column ${f.column_name}; expected ${f.expected})`).join('; '), html`<code class="cf-raw">${r.raw_row}</code>`]),
      data: { columns: ['submission_id', 'file_name', 'line', 'reasons', 'raw_row'], rows: quarantine.rows.map((r) => [r.submission_id, r.file_name, r.line, r.findings.map((f) => f.message).join('; '), r.raw_row]) },
      filename: 'careforce-quarantine', numericFrom: 99,
    })}
  `.html;

  barChart(byId('coverage-chart'), {
    label: `Bar chart of coverage by sector for ${periodLabel(last)}, percent of organisations that sent staff in post; the table below gives the counts.`,
    categories: dq.coverage.map((c) => sectorLabel(cat, c.sector)),
    values: dq.coverage.map((c) => c.coverage_pct),
    digits: 0,
  });
}
