// careforce dashboard: layout, hash routing and page mounting.
import 'nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import './styles.css';
import { initAll } from 'nhsuk-frontend';
import { api } from './api';
import { disposeCharts } from './charts';
import { html, esc } from './dom';
import { errorBox } from './ui';
import { overviewPage } from './pages/overview';
import { explorerPage } from './pages/explorer';
import { outcomesPage } from './pages/outcomes';
import { planPage } from './pages/plan';
import { qualityPage } from './pages/quality';
import { definitionsPage } from './pages/definitions';

export interface Route { path: string; params: URLSearchParams; rest: string[] }
type Page = (main: HTMLElement, route: Route) => Promise<void>;

const PAGES: { path: string; title: string; page: Page; nav: boolean }[] = [
  { path: 'overview', title: 'Overview', page: overviewPage, nav: true },
  { path: 'explorer', title: 'Metric explorer', page: explorerPage, nav: true },
  { path: 'outcomes', title: 'Outcomes framework', page: outcomesPage, nav: true },
  { path: 'plan', title: 'Workforce plan', page: planPage, nav: true },
  { path: 'data-quality', title: 'Data quality', page: qualityPage, nav: true },
  { path: 'definitions', title: 'Definitions', page: definitionsPage, nav: true },
];

const NHS_LOGO = '<svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/></svg>';

/** Parse "#/explorer/x?metric=y" into a Route. */
export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = h.split('?');
  const [path = 'overview', ...rest] = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { path, params: new URLSearchParams(query), rest };
}

/** Set the hash for a page and parameters (replacing history when asked). */
export function navigate(path: string, params: Record<string, string | undefined> = {}, replace = false): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const hash = `#/${path}${q.toString() ? `?${q}` : ''}`;
  if (replace) {
    history.replaceState(null, '', hash);
  } else if (location.hash !== hash) {
    location.hash = hash;
  }
}

function layout(icsName: string): void {
  const app = document.getElementById('app') as HTMLElement;
  app.innerHTML = `
<header class="nhsuk-header" data-module="nhsuk-header" role="banner">
  <div class="nhsuk-header__container nhsuk-width-container">
    <div class="nhsuk-header__service">
      <a class="nhsuk-header__service-logo" href="#/overview" aria-label="careforce workforce intelligence homepage">
        ${NHS_LOGO}
        <span class="nhsuk-header__service-name">careforce workforce intelligence</span>
      </a>
    </div>
    <p class="cf-ics-name">${esc(icsName)}</p>
  </div>
  <nav class="nhsuk-header__navigation" aria-label="Menu">
    <div class="nhsuk-header__navigation-container nhsuk-width-container">
      <ul class="nhsuk-header__navigation-list">
        ${PAGES.filter((p) => p.nav).map((p) => `<li class="nhsuk-header__navigation-item" data-nav="${p.path}"><a class="nhsuk-header__navigation-link" href="#/${p.path}">${p.title}</a></li>`).join('')}
        <li class="nhsuk-header__menu" hidden>
          <button class="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false">
            <span class="nhsuk-u-visually-hidden">Browse </span>More
          </button>
        </li>
      </ul>
    </div>
  </nav>
</header>
<div class="nhsuk-width-container cf-container">
  <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1"></main>
</div>
<footer class="nhsuk-footer" role="contentinfo">
  <div class="nhsuk-width-container">
    <div class="nhsuk-footer__meta">
      <h2 class="nhsuk-u-visually-hidden">Support links</h2>
      <ul class="nhsuk-footer__list">
        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="#/definitions">Metric definitions</a></li>
        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="#/data-quality">Data quality</a></li>
        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/api/health">Service status</a></li>
      </ul>
      <p class="nhsuk-body-s" id="cf-footer-status">Figures follow one published method for every partner. Counts from 1 to 4 are shown as *.</p>
    </div>
  </div>
</footer>`;
  initAll();
}

let renderToken = 0;

async function render(): Promise<void> {
  // An in-page anchor (the skip link) keeps the page; on a fresh load it shows the overview.
  const inPage = location.hash !== '' && !location.hash.startsWith('#/');
  if (inPage && renderToken > 0) return;
  const route = parseHash(inPage ? '' : location.hash);
  const entry = PAGES.find((p) => p.path === route.path) ?? PAGES[0];
  const main = document.getElementById('maincontent') as HTMLElement;
  const token = ++renderToken;
  disposeCharts();
  document.querySelectorAll<HTMLElement>('[data-nav]').forEach((li) => {
    const current = li.dataset.nav === entry.path;
    li.classList.toggle('nhsuk-header__navigation-item--current', current);
    const a = li.querySelector('a');
    if (current) a?.setAttribute('aria-current', 'page');
    else a?.removeAttribute('aria-current');
  });
  document.title = `${entry.title} - careforce`;
  main.dataset.page = entry.path;
  main.dataset.ready = 'false';
  main.innerHTML = '';
  try {
    await entry.page(main, route);
  } catch (e) {
    if (token === renderToken) main.innerHTML = html`<h1>${entry.title}</h1>${errorBox(e)}`.html;
  }
  if (token === renderToken) main.dataset.ready = 'true';
}

/** Re-render the current route (after a page changes its own hash with replace). */
export function rerender(): Promise<void> {
  return render();
}

async function start(): Promise<void> {
  let icsName = 'Integrated Care System';
  try {
    icsName = (await api.catalog()).ics_name;
  } catch {
    // The page itself reports the error.
  }
  layout(icsName);
  let lastPath = '';
  window.addEventListener('hashchange', () => {
    const path = parseHash(location.hash).path;
    void render().then(() => {
      if (path !== lastPath) (document.getElementById('maincontent') as HTMLElement | null)?.focus({ preventScroll: false });
      lastPath = path;
    });
  });
  lastPath = parseHash(location.hash).path;
  await render();
}

void start();
