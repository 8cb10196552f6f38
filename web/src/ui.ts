// Shared page pieces in NHS.UK design system markup: tags, selects, tables with downloads.
import { ApiError, type Rag } from './api';
import { downloadCsv, downloadXlsx, type Table } from './download';
import { html, raw, type Raw } from './dom';

const RAG_CLASS: Record<Rag, string> = { green: 'nhsuk-tag--green', amber: 'nhsuk-tag--yellow', red: 'nhsuk-tag--red', none: 'nhsuk-tag--grey' };
const RAG_TEXT: Record<Rag, string> = { green: 'Green', amber: 'Amber', red: 'Red', none: 'No rating' };

/** A RAG tag whose text says the rating (colour is never the only cue). */
export function ragTag(rag: Rag): Raw {
  return html`<strong class="nhsuk-tag ${RAG_CLASS[rag]} cf-rag" data-rag="${rag}">${RAG_TEXT[rag]}</strong>`;
}
export function tag(text: string, colour: 'green' | 'yellow' | 'red' | 'grey' | 'blue' | 'white' | 'orange' | 'aqua-green' | 'purple'): Raw {
  return html`<strong class="nhsuk-tag nhsuk-tag--${colour}">${text}</strong>`;
}

export interface Option { value: string; label: string }
/** An NHS.UK select with a visible label. */
export function selectField(id: string, label: string, options: Option[], selected: string, hint?: string): Raw {
  return html`<div class="nhsuk-form-group cf-field">
    <label class="nhsuk-label" for="${id}">${label}</label>
    ${hint ? html`<div class="nhsuk-hint" id="${id}-hint">${hint}</div>` : ''}
    <select class="nhsuk-select" id="${id}" name="${id}"${hint ? raw(` aria-describedby="${id}-hint"`) : ''}>
      ${options.map((o) => html`<option value="${o.value}"${o.value === selected ? raw(' selected') : ''}>${o.label}</option>`)}
    </select>
  </div>`;
}

const tables = new Map<string, { table: Table; filename: string }>();

/** Register a table's data for its download buttons. */
export function registerTable(id: string, table: Table, filename: string): void {
  tables.set(id, { table, filename });
}

/**
 * A data table in a focusable scroll region, with CSV and Excel download buttons for
 * exactly the rows shown. `cells` are display cells (HTML); `data` is what downloads.
 */
/** Tables with more rows than this scroll inside their region (the downloads hold every row). */
const TALL_ROWS = 30;

export function dataTable(opts: { id: string; caption: string; head: string[]; cells: (Raw | string)[][]; data: Table; filename: string; numericFrom?: number; captionHidden?: boolean }): Raw {
  registerTable(opts.id, opts.data, opts.filename);
  const numericFrom = opts.numericFrom ?? 1;
  return html`<div class="cf-table-block">
    <div class="cf-table-scroll${opts.cells.length > TALL_ROWS ? ' cf-table-scroll--tall' : ''}" role="region" aria-labelledby="${opts.id}-caption" tabindex="0">
      <table class="nhsuk-table" id="${opts.id}">
        <caption class="nhsuk-table__caption${opts.captionHidden ? ' nhsuk-u-visually-hidden' : ''}" id="${opts.id}-caption">${opts.caption}</caption>
        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
          ${opts.head.map((h, i) => html`<th scope="col" class="nhsuk-table__header${i >= numericFrom ? ' nhsuk-table__header--numeric' : ''}">${h}</th>`)}
        </tr></thead>
        <tbody class="nhsuk-table__body">
          ${opts.cells.map((row) => html`<tr class="nhsuk-table__row">${row.map((c, i) => (i === 0
            ? html`<th scope="row" class="nhsuk-table__header cf-row-head">${c}</th>`
            : html`<td class="nhsuk-table__cell${i >= numericFrom ? ' nhsuk-table__cell--numeric' : ''}">${c}</td>`))}</tr>`)}
        </tbody>
      </table>
    </div>
    <div class="cf-downloads">
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-download="csv" data-table="${opts.id}">Download CSV<span class="nhsuk-u-visually-hidden"> of ${opts.caption}</span></button>
      <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-download="xlsx" data-table="${opts.id}">Download Excel<span class="nhsuk-u-visually-hidden"> of ${opts.caption}</span></button>
    </div>
  </div>`;
}

document.addEventListener('click', (ev) => {
  const btn = (ev.target as HTMLElement).closest<HTMLButtonElement>('[data-download]');
  if (!btn) return;
  const entry = tables.get(btn.dataset.table ?? '');
  if (!entry) return;
  if (btn.dataset.download === 'csv') downloadCsv(entry.table, entry.filename);
  else downloadXlsx(entry.table, entry.filename);
});

/** An error box for a failed request (the API's message names the bad parameter). */
export function errorBox(e: unknown): Raw {
  const message = e instanceof ApiError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
  return html`<div class="nhsuk-error-summary" aria-labelledby="error-title" role="alert" tabindex="-1">
    <h2 class="nhsuk-error-summary__title" id="error-title">There is a problem</h2>
    <div class="nhsuk-error-summary__body"><p>${message}</p></div>
  </div>`;
}

export function loading(): Raw {
  return html`<p class="nhsuk-body cf-loading" aria-live="polite">Loading…</p>`;
}

/** A summary card: label, big number, extra lines. */
export function statCard(opts: { title: Raw | string; value: Raw | string; lines?: (Raw | string)[]; href?: string; id?: string }): Raw {
  return html`<div class="nhsuk-card cf-stat"${opts.id ? raw(` id="${opts.id}"`) : ''}>
    <div class="nhsuk-card__content">
      <h3 class="nhsuk-card__heading nhsuk-heading-s">${opts.href ? html`<a class="nhsuk-card__link" href="${opts.href}">${opts.title}</a>` : opts.title}</h3>
      <p class="cf-stat__value">${opts.value}</p>
      ${(opts.lines ?? []).map((l) => html`<p class="nhsuk-body-s cf-stat__line">${l}</p>`)}
    </div>
  </div>`;
}
