// actorgraph explorer: search an actor, expand neighbourhoods by
// double-click, filter, read the evidence of a relation, find paths, export.
// Everything comes from the public GraphQL API (see api.js).

import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

import { createClient, Q_SEARCH, Q_VOCABULARY, Q_NEIGHBORHOOD, Q_PATHS, Q_NODE } from './api.js';
import { KINDS, SIGN_COLORS, STRUCTURAL, goldsteinSign, stylesheet } from './style.js';
import { cytoscapeJSON, nodeLinkJSON, downloadJSON, downloadPNG, visibleElements } from './export.js';

cytoscape.use(fcose);

const $ = (id) => document.getElementById(id);

// h builds a DOM element; children are nodes or strings (never parsed as HTML).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v); // CSSOM: allowed by the page's CSP
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// Swatches and lines take their colours from the graph's own style table.
function swatch(kind) {
  return h('span', { class: 'ex-swatch', dataset: { kind }, style: { background: (KINDS[kind] || KINDS.OTHER).color } });
}
function line(sign, dashed) {
  return h('span', { class: 'ex-line' + (dashed ? ' ex-dashed' : ''), style: { borderTopColor: SIGN_COLORS[sign] } });
}

const body = document.body;
const api = createClient(body.dataset.graphql || '/graphql');
const playgroundBase = body.dataset.playground || '/';

const state = {
  busy: 1, // matches the page's data-busy="1" until init has run
  vocabulary: new Map(), // type -> { structural, description }
  hiddenTypes: new Set(),
  expandTypes: new Set(), // empty: all types
  dateDomain: null, // { min, max } in days since epoch
  dateSel: { from: null, to: null }, // days; null = open end
  currentActor: null, // { id, name } for the playground link
  paths: [],
  detailsSeq: 0,
};

// ---------- busy tracking (tests and the cursor wait on it) ----------

let idleWaiters = [];
function setBusy(delta) {
  state.busy += delta;
  body.dataset.busy = String(state.busy);
  body.classList.toggle('ex-busy', state.busy > 0);
  if (state.busy === 0) {
    const w = idleWaiters;
    idleWaiters = [];
    w.forEach((f) => f());
  }
}
async function track(promise) {
  setBusy(1);
  try {
    return await promise;
  } finally {
    setBusy(-1);
  }
}
// idle resolves when nothing is in flight and Cytoscape has drawn (and so
// recomputed the styles of) the current state: two animation frames later.
function idle() {
  const settled = state.busy === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r));
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return settled.then(frames).then(() => (state.busy === 0 ? undefined : idle()));
}

function status(msg, kind = 'info') {
  const el = $('status');
  el.textContent = msg || '';
  el.dataset.kind = kind;
  el.hidden = !msg;
}
function fail(err) {
  status(err && err.message ? err.message : String(err), 'error');
}

// ---------- dates ----------

const DAY = 86_400_000;
function toDays(iso) {
  return Math.floor(Date.parse(iso + 'T00:00:00Z') / DAY);
}
function fromDays(d) {
  return new Date(d * DAY).toISOString().slice(0, 10);
}
// Last day covered by a date of the given precision.
function endDays(iso, precision) {
  const d = new Date(iso + 'T00:00:00Z');
  switch (precision) {
    case 'WEEK': return toDays(iso) + 6;
    case 'MONTH': return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY) - 1;
    case 'YEAR': return Math.floor(Date.UTC(d.getUTCFullYear() + 1, 0, 1) / DAY) - 1;
    default: return toDays(iso);
  }
}
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function fmtDate(info) {
  if (!info || !info.date) return 'unknown';
  const [y, m, d] = info.date.split('-').map(Number);
  switch (info.precision) {
    case 'YEAR': return `${y}`;
    case 'MONTH': return `${MONTHS[m - 1]} ${y}`;
    case 'WEEK': return `week of ${d} ${MONTHS[m - 1]} ${y}`;
    default: return `${d} ${MONTHS[m - 1]} ${y}`;
  }
}

// ---------- cytoscape ----------

const cy = cytoscape({
  container: $('cy'),
  style: stylesheet(),
  minZoom: 0.05,
  maxZoom: 4,
  boxSelectionEnabled: false,
});

function nodeData(ent) {
  const place = ent.__typename === 'Place';
  return {
    id: ent.id,
    name: ent.name,
    label: ent.name,
    entity: ent.__typename || 'Actor',
    kind: place ? 'PLACE' : (ent.kind || 'OTHER'),
    placeKind: place ? ent.placeKind : undefined,
    country: ent.country || undefined,
  };
}

function edgeLabel(r) {
  let l = r.type;
  if (r.status && r.status !== 'ACTUAL') l += ' · ' + r.status.toLowerCase();
  if (r.attribution === 'ALLEGED') l += ' (alleged)';
  return l;
}

function edgeData(r) {
  return {
    id: r.id,
    source: r.from.id,
    target: r.to.id,
    type: r.type,
    label: edgeLabel(r),
    attribution: r.attribution,
    status: r.status,
    condition: r.condition || undefined,
    claimedBy: r.claimedBy ? r.claimedBy.name : undefined,
    claimedById: r.claimedBy ? r.claimedBy.id : undefined,
    occurred: r.occurred && r.occurred.date ? r.occurred.date : undefined,
    occurredPrecision: r.occurred ? r.occurred.precision : undefined,
    reported: r.reported && r.reported.date ? r.reported.date : undefined,
    reportedPrecision: r.reported ? r.reported.precision : undefined,
    goldstein: r.goldstein == null ? undefined : r.goldstein,
    sign: goldsteinSign(r.goldstein),
    cameoCode: r.cameoCode || undefined,
    plover: r.plover || undefined,
    confidence: r.provenance ? r.provenance.confidence : undefined,
    method: r.provenance ? r.provenance.method : undefined,
    review: r.provenance ? r.provenance.review : undefined,
    sourceId: r.source ? r.source.id : undefined,
    sourceTitle: r.source ? r.source.title : undefined,
    sourcePublisher: r.source ? r.source.publisher : undefined,
    sourcePublished: r.source ? r.source.published : undefined,
    evidence: (r.evidence || []).map((e) => ({ quote: e.quote, start: e.start, end: e.end })),
  };
}

function edgeClasses(r) {
  const c = [];
  if (STRUCTURAL.has(r.type) || (state.vocabulary.get(r.type) || {}).structural) c.push('structural');
  if (r.status !== 'ACTUAL') c.push('unrealised');
  return c.join(' ');
}

// addGraph adds entities and relations not yet in the view; new nodes start
// next to `near` so the layout grows from there. Returns the new elements.
function addGraph(nodes, edges, near) {
  const added = cy.collection();
  const center = near && near.length ? near.position() : { x: cy.width() / 2, y: cy.height() / 2 };
  const ents = new Map();
  for (const n of nodes) ents.set(n.id, n);
  for (const e of edges) {
    if (!ents.has(e.from.id)) ents.set(e.from.id, e.from);
    if (!ents.has(e.to.id)) ents.set(e.to.id, e.to);
  }
  cy.batch(() => {
    let i = 0;
    for (const ent of ents.values()) {
      if (cy.getElementById(ent.id).nonempty()) continue;
      const a = (2 * Math.PI * i++) / Math.max(ents.size, 1);
      added.merge(cy.add({ group: 'nodes', data: nodeData(ent), position: { x: center.x + 90 * Math.cos(a), y: center.y + 90 * Math.sin(a) } }));
    }
    for (const r of edges) {
      if (cy.getElementById(r.id).nonempty()) continue;
      added.merge(cy.add({ group: 'edges', data: edgeData(r), classes: edgeClasses(r) }));
    }
  });
  $('empty').hidden = cy.elements().nonempty();
  return added;
}

function runLayout(randomize) {
  return track(new Promise((resolve) => {
    if (cy.nodes().empty()) return resolve();
    const layout = cy.layout({
      name: 'fcose',
      quality: 'default',
      randomize,
      animate: !randomize && cy.nodes().length < 400,
      animationDuration: 350,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 120,
      nodeRepulsion: () => 9000,
      edgeElasticity: () => 0.3,
      nodeSeparation: 90,
      numIter: 2500,
    });
    // A few nodes should not fill the screen: cap the zoom while fitting.
    cy.maxZoom(1.4);
    layout.one('layoutstop', () => {
      cy.maxZoom(4);
      resolve();
    });
    layout.run();
  }));
}

// ---------- vocabulary and filters ----------

async function loadVocabulary() {
  const data = await api.request(Q_VOCABULARY, {}, 'ExplorerVocabulary');
  for (const v of data.vocabulary) state.vocabulary.set(v.type, v);
  renderExpandTypes();
}

function renderExpandTypes() {
  const list = $('expand-types-list');
  list.replaceChildren();
  for (const [type, v] of state.vocabulary) {
    list.append(h('label', { title: v.description },
      h('input', { type: 'checkbox', value: type, checked: state.expandTypes.has(type) }), ' ', type));
  }
}

$('expand-types-list').addEventListener('change', (ev) => {
  const t = ev.target.value;
  if (ev.target.checked) state.expandTypes.add(t);
  else state.expandTypes.delete(t);
  $('expand-types-count').textContent = state.expandTypes.size ? `(${state.expandTypes.size})` : '(all)';
});

// Type filter: one row per type present in the view, with its count.
function renderTypeFilter() {
  const counts = new Map();
  cy.edges().forEach((e) => counts.set(e.data('type'), (counts.get(e.data('type')) || 0) + 1));
  const box = $('type-filter');
  box.replaceChildren();
  if (!counts.size) {
    box.append(h('p', { class: 'ex-hint' }, 'Types appear as relations are added.'));
    return;
  }
  for (const type of [...counts.keys()].sort()) {
    const v = state.vocabulary.get(type) || {};
    box.append(h('div', { class: 'ex-typerow', dataset: { type } },
      h('label', { title: v.description || '' },
        h('input', { type: 'checkbox', value: type, checked: !state.hiddenTypes.has(type) }), ' ', type,
        h('span', { class: 'ex-count' }, ` ${counts.get(type)}`)),
      h('button', { type: 'button', class: 'ex-only', value: type, title: `Show only ${type}`, 'aria-label': `only ${type}` }, 'only')));
  }
}

$('type-filter').addEventListener('change', (ev) => {
  const t = ev.target.value;
  if (ev.target.checked) state.hiddenTypes.delete(t);
  else state.hiddenTypes.add(t);
  applyFilters();
});
$('type-filter').addEventListener('click', (ev) => {
  const b = ev.target.closest('button.ex-only');
  if (!b) return;
  state.hiddenTypes = new Set([...allTypes()].filter((t) => t !== b.value));
  renderTypeFilter();
  applyFilters();
});
function allTypes() {
  const s = new Set(state.vocabulary.keys());
  cy.edges().forEach((e) => s.add(e.data('type')));
  return s;
}
$('types-all').addEventListener('click', () => { state.hiddenTypes.clear(); renderTypeFilter(); applyFilters(); });
$('types-none').addEventListener('click', () => { state.hiddenTypes = allTypes(); renderTypeFilter(); applyFilters(); });

function checkedValues(fieldset) {
  return new Set([...fieldset.querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value));
}
for (const id of ['attribution-filter', 'status-filter']) $(id).addEventListener('change', () => applyFilters());
$('include-undated').addEventListener('change', () => applyFilters());
$('hide-orphans').addEventListener('change', () => applyFilters());

// The time slider spans the occurred dates of the relations in the view.
function updateDateDomain() {
  let min = Infinity;
  let max = -Infinity;
  cy.edges().forEach((e) => {
    const d = e.data('occurred');
    if (!d) return;
    min = Math.min(min, toDays(d));
    max = Math.max(max, endDays(d, e.data('occurredPrecision')));
  });
  const from = $('date-from');
  const to = $('date-to');
  if (min === Infinity) {
    state.dateDomain = null;
    from.disabled = to.disabled = true;
    $('date-from-out').textContent = $('date-to-out').textContent = '–';
    return;
  }
  state.dateDomain = { min, max };
  for (const s of [from, to]) {
    s.disabled = false;
    s.min = '0';
    s.max = String(max - min);
  }
  // An open end follows the domain as it grows; a chosen end stays put.
  from.value = String(state.dateSel.from == null ? 0 : Math.max(0, state.dateSel.from - min));
  to.value = String(state.dateSel.to == null ? max - min : Math.min(max - min, state.dateSel.to - min));
  renderDateOutputs();
}
function renderDateOutputs() {
  const dom = state.dateDomain;
  if (!dom) return;
  $('date-from-out').textContent = fromDays(dom.min + Number($('date-from').value));
  $('date-to-out').textContent = fromDays(dom.min + Number($('date-to').value));
}
function onSlider(which) {
  const dom = state.dateDomain;
  if (!dom) return;
  const from = $('date-from');
  const to = $('date-to');
  let f = Number(from.value);
  let t = Number(to.value);
  if (f > t) {
    if (which === 'from') to.value = String((t = f));
    else from.value = String((f = t));
  }
  state.dateSel.from = f === 0 ? null : dom.min + f;
  state.dateSel.to = t === dom.max - dom.min ? null : dom.min + t;
  renderDateOutputs();
  applyFilters();
}
$('date-from').addEventListener('input', () => onSlider('from'));
$('date-to').addEventListener('input', () => onSlider('to'));

function edgePasses(e, attrs, statuses, undated) {
  const d = e.data();
  if (state.hiddenTypes.has(d.type)) return false;
  if (!attrs.has(d.attribution) || !statuses.has(d.status)) return false;
  if (!d.occurred) return undated;
  const { from, to } = state.dateSel;
  if (from != null && endDays(d.occurred, d.occurredPrecision) < from) return false;
  if (to != null && toDays(d.occurred) > to) return false;
  return true;
}

function applyFilters() {
  const attrs = checkedValues($('attribution-filter'));
  const statuses = checkedValues($('status-filter'));
  const undated = $('include-undated').checked;
  const hideOrphans = $('hide-orphans').checked;
  cy.batch(() => {
    cy.edges().forEach((e) => {
      e.toggleClass('filtered', !(e.hasClass('path') || edgePasses(e, attrs, statuses, undated)));
    });
    cy.nodes().forEach((n) => {
      const keep = !hideOrphans || n.hasClass('anchor') || n.hasClass('path') ||
        n.connectedEdges().some((e) => !e.hasClass('filtered'));
      n.toggleClass('filtered', !keep);
    });
  });
  cy.elements('.filtered:selected').unselect();
  const { nodes, edges } = visibleElements(cy);
  body.dataset.visibleEdges = String(edges.length);
  body.dataset.visibleNodes = String(nodes.length);
}

$('reset-filters').addEventListener('click', () => {
  state.hiddenTypes.clear();
  state.dateSel = { from: null, to: null };
  for (const i of document.querySelectorAll('#attribution-filter input, #status-filter input')) i.checked = true;
  $('include-undated').checked = true;
  $('hide-orphans').checked = true;
  renderTypeFilter();
  updateDateDomain();
  applyFilters();
});

function graphChanged() {
  renderTypeFilter();
  updateDateDomain();
  applyFilters();
}

// ---------- search and starting points ----------

async function searchActors(text) {
  const data = await api.request(Q_SEARCH, { text }, 'ExplorerSearch');
  const seen = new Set();
  const out = [];
  const add = (a, snippet) => {
    if (!a || seen.has(a.id)) return;
    seen.add(a.id);
    out.push({ ...a, snippet });
  };
  for (const hit of data.search) add(hit.actor, hit.snippet);
  add(data.byName);
  for (const a of data.partial.nodes) add(a);
  return out.slice(0, 10);
}

function actorLine(a) {
  const kind = (KINDS[a.kind] || KINDS.OTHER);
  const extra = a.snippet && a.snippet !== a.name ? ` — “${a.snippet}”` : '';
  return [
    swatch(a.kind),
    h('span', { class: 'ex-name' }, a.name),
    h('span', { class: 'ex-meta' }, ` ${kind.label}${a.country ? ' · ' + a.country : ''}${extra}`),
  ];
}

function renderResults(list, actors, onPick, emptyText) {
  list.replaceChildren();
  if (!actors.length) {
    if (emptyText) list.append(h('li', { class: 'ex-hint' }, emptyText));
    return;
  }
  for (const a of actors) {
    list.append(h('li', {}, h('button', { type: 'button', class: 'ex-result', dataset: { id: a.id }, onclick: () => onPick(a) }, actorLine(a))));
  }
}

$('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  runSearch();
});
let searchTimer = 0;
$('search-input').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 250);
});
let searchSeq = 0;
async function runSearch() {
  clearTimeout(searchTimer);
  const text = $('search-input').value.trim();
  const seq = ++searchSeq;
  if (!text) {
    $('search-results').replaceChildren();
    return;
  }
  try {
    const actors = await track(searchActors(text));
    if (seq !== searchSeq) return;
    renderResults($('search-results'), actors, (a) => {
      $('search-results').replaceChildren();
      startFrom(a);
    }, `No actor matches “${text}”.`);
  } catch (e) {
    fail(e);
  }
}

function setCurrentActor(a) {
  state.currentActor = a;
  const link = $('playground-link');
  if (a) {
    link.href = `${playgroundBase}?actor=${encodeURIComponent(a.id)}`;
    link.title = `Open ${a.name} in the GraphQL playground`;
    const u = new URL(location.href);
    u.searchParams.set('actor', a.id);
    history.replaceState(null, '', u);
  } else {
    link.href = playgroundBase;
    link.removeAttribute('title');
  }
}

// startFrom puts an actor in the view and expands it.
async function startFrom(a) {
  let n = cy.getElementById(a.id);
  if (n.empty()) {
    addGraph([{ __typename: 'Actor', ...a }], [], null);
    n = cy.getElementById(a.id);
  }
  n.addClass('anchor');
  setCurrentActor({ id: a.id, name: a.name });
  await expand(n);
  cy.elements().unselect();
  n.select();
  showEntity(a.id);
}

// ---------- expansion ----------

async function expand(node) {
  const id = node.id();
  if (node.data('entity') === 'Place') {
    status(`${node.data('name')} is a place; neighbourhoods start from actors.`);
    return;
  }
  const perNode = Math.max(1, Math.min(500, Number($('per-node').value) || 25));
  const vars = {
    actor: id,
    perNode,
    limit: Math.max(200, perNode),
    direction: $('direction').value,
    types: state.expandTypes.size ? [...state.expandTypes] : null,
  };
  try {
    const data = await track(api.request(Q_NEIGHBORHOOD, vars, 'ExplorerNeighborhood'));
    const g = data.neighborhood;
    const added = addGraph(g.nodes, g.edges, node);
    node.addClass('expanded');
    node.toggleClass('truncated', g.truncated);
    node.data('truncated', g.truncated);
    graphChanged();
    const name = node.data('name');
    if (g.truncated) {
      status(`${name}: showing ${g.edges.length} relations, capped at ${perNode} per actor. Raise the cap or pick relation types under “Expand”, then double-click again.`, 'warn');
    } else {
      const nn = added.nodes().length;
      const ne = added.edges().length;
      status(`${name}: ${g.edges.length} relations` + (nn || ne ? ` (${nn} new actors, ${ne} new relations).` : ', all already shown.'));
    }
    if (added.nonempty()) await runLayout(cy.nodes().length === added.nodes().length);
  } catch (e) {
    fail(e);
  }
}

cy.on('dbltap', 'node', (ev) => { expand(ev.target); });
cy.on('tap', 'node', (ev) => {
  const n = ev.target;
  if (n.data('entity') !== 'Place') setCurrentActor({ id: n.id(), name: n.data('name') });
  showEntity(n.id());
});
cy.on('tap', 'edge', (ev) => { showRelation(ev.target.id()); });
cy.on('tap', (ev) => {
  if (ev.target === cy) showHint();
});

// ---------- details panel ----------

function showHint() {
  $('details').replaceChildren(h('p', { class: 'ex-hint' }, 'Click a relation to see its evidence, or an actor for its details.'));
}

async function loadDetails(id, render) {
  const seq = ++state.detailsSeq;
  $('details').replaceChildren(h('p', { class: 'ex-hint' }, 'Loading…'));
  try {
    const data = await track(api.request(Q_NODE, { id }, 'ExplorerNode'));
    if (seq !== state.detailsSeq) return;
    if (!data.node) {
      $('details').replaceChildren(h('p', { class: 'ex-hint' }, `Nothing with id ${id} on the server any more.`));
      return;
    }
    $('details').replaceChildren(...render(data.node));
  } catch (e) {
    if (seq === state.detailsSeq) $('details').replaceChildren(h('p', { class: 'ex-error' }, e.message));
  }
}

function showEntity(id) {
  return loadDetails(id, (n) => {
    const kindInfo = n.__typename === 'Place' ? KINDS.PLACE : (KINDS[n.kind] || KINDS.OTHER);
    const out = [
      h('p', { class: 'ex-kind' }, swatch(n.__typename === 'Place' ? 'PLACE' : n.kind),
        ` ${kindInfo.label}${n.__typename === 'Place' ? ' (' + n.placeKind.toLowerCase() + ')' : ''}`),
      h('h2', { class: 'ex-title' }, n.name),
    ];
    const dl = h('dl', { class: 'ex-dl' });
    const row = (k, v) => { if (v != null && v !== '' && !(Array.isArray(v) && !v.length)) dl.append(h('dt', {}, k), h('dd', {}, Array.isArray(v) ? v.join(', ') : v)); };
    row('id', n.id);
    row('also called', n.aliases);
    row('country', n.country);
    row('CAMEO actor code', n.cameoCode);
    row('Wikidata', n.wikidata);
    if (n.parent) row('in', n.parent.name);
    if (n.outgoing) {
      row('relations', `${n.outgoing.totalCount} outgoing, ${n.incoming.totalCount} incoming (counting those of its sub-actors and people)`);
    }
    out.push(dl);
    if (n.description) out.push(h('p', {}, n.description));
    const node = cy.getElementById(n.id);
    if (node.nonempty() && node.data('truncated')) {
      out.push(h('p', { class: 'ex-warn' }, 'Only part of its relations are shown (capped). Raise the cap or choose relation types under “Expand” and double-click it again.'));
    }
    if (n.__typename === 'Actor') {
      out.push(h('div', { class: 'ex-row ex-wrap' },
        h('button', { type: 'button', onclick: () => { const x = cy.getElementById(n.id); if (x.nonempty()) expand(x); else startFrom(n); } }, 'Expand neighbours'),
        h('button', { type: 'button', onclick: () => setPicker('from', n) }, 'Path from here'),
        h('button', { type: 'button', onclick: () => setPicker('to', n) }, 'Path to here'),
        h('a', { href: `${playgroundBase}?actor=${encodeURIComponent(n.id)}`, class: 'ex-button' }, 'Open in playground')));
    }
    if (node.nonempty()) {
      out.push(h('button', { type: 'button', class: 'ex-secondary', onclick: () => { node.remove(); graphChanged(); showHint(); } }, 'Remove from view'));
    }
    return out;
  });
}

function attributionBadge(r) {
  if (r.attribution === 'ALLEGED') {
    const who = r.claimedBy ? r.claimedBy.name : 'an actor';
    return h('span', { class: 'ex-badge ex-alleged', title: 'The source reports this only as a claim, not as fact.' }, `ALLEGED by ${who}`);
  }
  return h('span', { class: 'ex-badge ex-asserted', title: 'The source itself reports this.' }, 'REPORTED by the source');
}

function statusBadge(r) {
  if (!r.status || r.status === 'ACTUAL') return null;
  return h('span', { class: 'ex-badge ex-status-' + r.status.toLowerCase() }, r.status + (r.condition ? `: ${r.condition}` : ''));
}

function claimLine(r) {
  const inView = cy.getElementById(r.id).nonempty();
  return h('li', { class: 'ex-claim' + (r.attribution === 'ALLEGED' ? ' ex-claim-alleged' : '') },
    h('button', { type: 'button', class: 'ex-link', dataset: { id: r.id }, onclick: () => focusRelation(r.id) },
      `${r.from.name} ${r.type} ${r.to.name}`),
    ' ', attributionBadge(r), ' ', statusBadge(r),
    r.evidence && r.evidence.length ? h('q', { class: 'ex-inline-quote' }, r.evidence[0].quote) : null,
    inView ? null : h('span', { class: 'ex-meta' }, ' (not in view)'));
}

function sourceLine(s) {
  const bits = [s.title];
  const pub = [s.publisher, s.published].filter(Boolean).join(', ');
  if (pub) bits.push(pub);
  if (s.originalPublisher || s.original) bits.push(`first published by ${[s.originalPublisher, s.original].filter(Boolean).join(', ')}`);
  return bits.join(' · ');
}

function showRelation(id) {
  return loadDetails(id, (r) => {
    if (r.__typename !== 'Relation') return [h('p', {}, `${id} is not a relation.`)];
    const alleged = r.attribution === 'ALLEGED';
    const out = [
      h('p', { class: 'ex-kind' }, 'Relation', h('span', { class: 'ex-meta' }, ` ${r.id}`)),
      h('h2', { class: 'ex-title' }, `${r.from.name} `, h('span', { class: 'ex-type', style: { color: SIGN_COLORS[goldsteinSign(r.goldstein)] } }, r.type), ` ${r.to.name}`),
      h('div', { class: 'ex-badges', 'data-testid': 'relation-attribution' }, attributionBadge(r), ' ', statusBadge(r)),
    ];
    if (alleged) {
      out.push(h('p', { class: 'ex-alleged-note' },
        `This is a claim by ${r.claimedBy ? r.claimedBy.name : 'an actor'}; the source reports that it was claimed, not that it happened.`));
    }
    const dl = h('dl', { class: 'ex-dl' });
    const row = (k, v) => { if (v != null && v !== '') dl.append(h('dt', {}, k), h('dd', {}, v)); };
    row('occurred', fmtDate(r.occurred));
    row('reported', fmtDate(r.reported));
    if (r.goldstein != null) row('Goldstein', `${r.goldstein > 0 ? '+' : ''}${r.goldstein.toFixed(1)} (${r.goldstein > 0 ? 'cooperation' : r.goldstein < 0 ? 'conflict' : 'neutral'})`);
    if (r.cameoCode) row('CAMEO', `${r.cameoCode}${r.cameoName ? ' ' + r.cameoName : ''}`);
    row('PLOVER', r.plover);
    row('role', r.role);
    if (r.event) row('event', r.event.name);
    if (r.place) row('place', r.place.name);
    row('provenance', `${r.provenance.method.toLowerCase()}, confidence ${r.provenance.confidence}, ${r.provenance.review.toLowerCase()}`);
    out.push(dl);

    out.push(h('h3', {}, r.evidence.length === 1 ? 'Evidence' : `Evidence (${r.evidence.length})`));
    if (!r.evidence.length) out.push(h('p', { class: 'ex-hint' }, 'No quote: an imported event row. Source: ' + sourceLine(r.source)));
    for (const e of r.evidence) {
      out.push(h('figure', { class: 'ex-evidence' + (alleged ? ' ex-evidence-alleged' : '') },
        h('blockquote', { 'data-testid': 'evidence-quote' }, e.quote),
        h('figcaption', {}, sourceLine(e.source), h('span', { class: 'ex-meta' }, ` · characters ${e.start}–${e.end}`))));
    }
    const section = (title, testid, list) => {
      if (!list.length) return;
      out.push(h('h3', {}, title), h('ul', { class: 'ex-claims', 'data-testid': testid }, list.map(claimLine)));
    };
    section('Alleges (the act it accuses of)', 'alleges', r.alleges ? [r.alleges] : []);
    section('Denies', 'denies', r.denies ? [r.denies] : []);
    section('Alleged by', 'alleged-by', r.allegedBy);
    section('Denied by', 'denied-by', r.deniedBy);
    if (r.note) out.push(h('p', { class: 'ex-note' }, 'Note: ', r.note));
    const from = r.from;
    out.push(h('div', { class: 'ex-row ex-wrap' },
      h('a', { class: 'ex-button', href: `${playgroundBase}?actor=${encodeURIComponent(from.id)}` }, `Open ${from.name} in playground`)));
    // Remember the full relation so a claim not yet in view can be added.
    state.lastRelation = r;
    return out;
  });
}

// focusRelation shows a relation's details, selecting it in the view (and
// adding it, with its two ends, when it is not there yet).
async function focusRelation(id) {
  let e = cy.getElementById(id);
  if (e.empty()) {
    try {
      const data = await track(api.request(Q_NODE, { id }, 'ExplorerNode'));
      if (data.node && data.node.__typename === 'Relation') {
        const near = cy.getElementById(data.node.from.id);
        addGraph([], [data.node], near.nonempty() ? near : null);
        graphChanged();
        await runLayout(false);
        e = cy.getElementById(id);
      }
    } catch (err) {
      fail(err);
      return;
    }
  }
  cy.elements().unselect();
  if (e.nonempty()) {
    e.removeClass('filtered');
    e.connectedNodes().removeClass('filtered');
    e.select();
  }
  showRelation(id);
}

// ---------- path finder ----------

const pickers = {
  from: { input: $('path-from'), list: $('path-from-results'), actor: null, timer: 0, seq: 0 },
  to: { input: $('path-to'), list: $('path-to-results'), actor: null, timer: 0, seq: 0 },
};
function setPicker(which, a) {
  const p = pickers[which];
  p.actor = { id: a.id, name: a.name };
  p.input.value = a.name;
  p.list.replaceChildren();
}
for (const [which, p] of Object.entries(pickers)) {
  p.input.addEventListener('input', () => {
    p.actor = null;
    clearTimeout(p.timer);
    p.timer = setTimeout(async () => {
      const text = p.input.value.trim();
      const seq = ++p.seq;
      if (!text) { p.list.replaceChildren(); return; }
      try {
        const actors = await track(searchActors(text));
        if (seq === p.seq && !p.actor) renderResults(p.list, actors, (a) => setPicker(which, a));
      } catch (e) {
        fail(e);
      }
    }, 250);
  });
  p.input.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') p.list.replaceChildren(); });
}

// resolve returns the picked actor, or the best match of the typed text.
async function resolve(which) {
  const p = pickers[which];
  if (p.actor) return p.actor;
  const text = p.input.value.trim();
  if (!text) throw new Error(`Say which actor the path goes ${which}.`);
  const [best] = await searchActors(text);
  if (!best) throw new Error(`No actor matches “${text}”.`);
  setPicker(which, best);
  return p.actor;
}

$('path-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearTimeout(pickers.from.timer);
  clearTimeout(pickers.to.timer);
  pickers.from.seq++;
  pickers.to.seq++;
  pickers.from.list.replaceChildren();
  pickers.to.list.replaceChildren();
  const out = $('path-results');
  try {
    await track((async () => {
      const from = await resolve('from');
      const to = await resolve('to');
      const maxLength = Math.max(1, Math.min(6, Number($('path-max').value) || 4));
      out.replaceChildren(h('p', { class: 'ex-hint' }, 'Searching…'));
      const data = await api.request(Q_PATHS, { from: from.id, to: to.id, maxLength }, 'ExplorerPaths');
      const res = data.paths;
      state.paths = res.paths;
      if (!res.paths.length) {
        clearPath();
        out.replaceChildren(h('p', { class: 'ex-warn', 'data-testid': 'path-none' }, res.reason || `No path of at most ${maxLength} hops.`));
        return;
      }
      // Put every path in the view, then highlight the first.
      for (const p of res.paths) {
        addGraph(p.hops.flatMap((hp) => [hp.from, hp.to]), p.hops.map((hp) => hp.relation), cy.getElementById(from.id));
      }
      cy.getElementById(from.id).addClass('anchor');
      cy.getElementById(to.id).addClass('anchor');
      out.replaceChildren(
        h('p', {}, `${res.paths.length} shortest path${res.paths.length > 1 ? 's' : ''} of ${res.paths[0].length} hop${res.paths[0].length > 1 ? 's' : ''} from ${from.name} to ${to.name}:`),
        h('ol', { class: 'ex-paths' }, res.paths.map((p, i) => h('li', {},
          h('button', { type: 'button', class: 'ex-link ex-path', dataset: { index: i }, onclick: () => highlightPath(i) }, pathText(p))))));
      highlightPath(0);
      graphChanged();
      await runLayout(false);
    })());
  } catch (e) {
    out.replaceChildren(h('p', { class: 'ex-error' }, e.message));
  }
});

function pathText(p) {
  const parts = [p.hops[0].from.name];
  for (const hp of p.hops) {
    const tag = hp.relation.attribution === 'ALLEGED' ? ', alleged' : '';
    const st = hp.relation.status !== 'ACTUAL' ? `, ${hp.relation.status.toLowerCase()}` : '';
    parts.push(hp.forward ? ` —${hp.relation.type}${tag}${st}→ ` : ` ←${hp.relation.type}${tag}${st}— `, hp.to.name);
  }
  return parts.join('');
}

function clearPath() {
  cy.elements('.path').removeClass('path');
  body.dataset.path = '';
}

function highlightPath(i) {
  const p = state.paths[i];
  if (!p) return;
  clearPath();
  const ids = [];
  for (const hp of p.hops) {
    cy.getElementById(hp.relation.id).addClass('path');
    cy.getElementById(hp.from.id).addClass('path');
    cy.getElementById(hp.to.id).addClass('path');
    ids.push(hp.relation.id);
  }
  body.dataset.path = ids.join(' ');
  for (const b of document.querySelectorAll('.ex-path')) b.classList.toggle('ex-active', b.dataset.index === String(i));
  applyFilters();
}

// ---------- toolbar and export ----------

$('relayout').addEventListener('click', () => runLayout(true));
$('fit').addEventListener('click', () => {
  cy.maxZoom(1.4);
  cy.fit(cy.elements(':visible'), 40);
  cy.maxZoom(4);
});
$('clear').addEventListener('click', () => {
  cy.elements().remove();
  state.paths = [];
  $('path-results').replaceChildren();
  $('empty').hidden = false;
  setCurrentActor(null);
  const u = new URL(location.href);
  u.searchParams.delete('actor');
  history.replaceState(null, '', u);
  graphChanged();
  showHint();
  status('');
});

function exportName(ext) {
  const a = state.currentActor ? state.currentActor.id : 'view';
  return `actorgraph-${a}.${ext}`;
}
$('export-png').addEventListener('click', () => {
  if (cy.nodes(':visible').empty()) return status('Nothing to export yet.', 'warn');
  downloadPNG(cy, exportName('png'));
});
$('export-cy').addEventListener('click', () => downloadJSON(exportName('cytoscape.json'), cytoscapeJSON(cy)));
$('export-nx').addEventListener('click', () => downloadJSON(exportName('networkx.json'), nodeLinkJSON(cy)));

// ---------- legend ----------

function renderLegend() {
  const kinds = ['STATE', 'GOVERNMENT', 'MILITARY', 'ARMED_GROUP', 'DESIGNATED_TERRORIST_GROUP', 'PERSON', 'HUMANITARIAN', 'INTERNATIONAL_ORGANIZATION', 'PLACE'];
  $('legend').replaceChildren(
    h('ul', {}, kinds.map((k) => h('li', {}, swatch(k), ' ', KINDS[k].label))),
    h('span', { class: 'ex-sep' }),
    h('ul', {},
      h('li', {}, line('pos'), ' cooperation (Goldstein > 0)'),
      h('li', {}, line('neg'), ' conflict (Goldstein < 0)'),
      h('li', {}, line('zero'), ' neutral or structural'),
      h('li', {}, line('zero', true), ' alleged (an actor’s claim)')));
}

// ---------- API key ----------

const keyInput = $('api-key');
keyInput.value = api.key;
keyInput.addEventListener('change', () => {
  api.setKey(keyInput.value);
  status(api.key ? 'API key saved in this browser.' : 'API key removed.');
  if (!state.vocabulary.size) loadVocabulary().catch(fail);
});

// ---------- start ----------

window.__explorer = {
  cy,
  cytoscape,
  idle,
  // clientPoint is where an element is drawn, in page coordinates, for
  // clicking it with a real mouse: a node's centre, an edge's midpoint.
  clientPoint(id) {
    const el = cy.getElementById(id);
    if (el.empty() || el.hasClass('filtered') || !el.visible()) return null;
    const p = el.isNode() ? el.renderedPosition() : el.renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  },
  visibleNodeIds: () => visibleElements(cy).nodes.map((n) => n.id()).sort(),
  visibleEdgeIds: () => visibleElements(cy).edges.map((e) => e.id()).sort(),
  cytoscapeJSON: () => cytoscapeJSON(cy),
  nodeLinkJSON: () => nodeLinkJSON(cy),
};

async function init() {
  renderLegend();
  graphChanged();
  showHint();
  try {
    await loadVocabulary();
  } catch (e) {
    fail(e);
  }
  const wanted = new URLSearchParams(location.search).get('actor');
  if (wanted) {
    try {
      const data = await api.request(Q_NODE, { id: wanted }, 'ExplorerNode');
      let a = data.node && data.node.__typename === 'Actor' ? data.node : null;
      if (!a) [a] = await searchActors(wanted);
      if (a) await startFrom(a);
      else status(`No actor “${wanted}”.`, 'warn');
    } catch (e) {
      fail(e);
    }
  }
}

track(init());
setBusy(-1); // the page starts with data-busy="1" until the script runs
