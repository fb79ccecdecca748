// Browser tests of the explorer (/explore) and the playground (/) in real
// headless Chromium, driven by playwright-core: real typing and real mouse
// clicks (canvas elements are clicked at the coordinates Cytoscape drew them,
// read from the page's window.__explorer hook). Every test fails on a console
// error, an uncaught exception, a failed request, an HTTP error status, or a
// request to anything but the server under test.
//
// Run by web/explorer/test/run.sh, which starts a server and sets
//   BASE_URL       the server, e.g. http://127.0.0.1:41234
//   ARTIFACTS_DIR  where screenshots and downloads go
//   CHROMIUM       the browser (default /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const ARTIFACTS = process.env.ARTIFACTS_DIR || '/tmp/actorgraph-artifacts';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE) throw new Error('BASE_URL is not set: run web/explorer/test/run.sh');
const origin = new URL(BASE).origin;

const QUOTE = 'The U.S. blamed Russia for an attack on a humanitarian convoy outside Aleppo';

let browser;

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Keep the browser's own background lookups on this machine.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
});

// open starts a fresh browser context (empty localStorage) and a page that
// records everything that must not happen.
async function open(t) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') t.diagnostic(`console warning: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) {
      problems.push(`request off the server: ${u}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  t.after(async () => {
    await context.close();
  });
  return {
    page,
    assertClean() {
      assert.deepEqual(problems, [], 'the page had problems');
    },
  };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: false });
}

// idle waits until the explorer has no request or layout in flight.
async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 30_000 });
  await page.evaluate(() => window.__explorer.idle());
}

async function gql(query, variables = {}) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function openExplorer(t, query = '') {
  const s = await open(t);
  await s.page.goto(`${origin}/explore${query}`);
  await idle(s.page);
  return s;
}

const visibleNodes = (page) => page.evaluate(() => window.__explorer.visibleNodeIds());
const visibleEdges = (page) => page.evaluate(() => window.__explorer.visibleEdgeIds());
const point = (page, id) => page.evaluate((id) => window.__explorer.clientPoint(id), id);

// startFromRussia types "Russia" into the search box and clicks the hit.
async function startFromRussia(page) {
  await page.locator('#search-input').click();
  await page.keyboard.type('Russia', { delay: 20 });
  await page.keyboard.press('Enter');
  const hit = page.locator('#search-results button[data-id="russia"]');
  await hit.waitFor();
  await hit.click();
  await idle(page);
}

test('explorer: loads with no console errors, favicon or off-site requests', async (t) => {
  const s = await openExplorer(t);
  assert.equal(await s.page.title(), 'actorgraph explorer');
  assert.ok(await s.page.locator('#legend').isVisible());
  assert.ok(await s.page.locator('#expand-types-list input').count() >= 18, 'the relation vocabulary is loaded');
  assert.equal(await s.page.evaluate(() => window.__explorer.cy.elements().length), 0);
  s.assertClean();
});

test('explorer: search Russia, expand, filter to ACCUSES, read the accusation, export', async (t) => {
  const s = await openExplorer(t);
  const { page } = s;

  await startFromRussia(page);
  const want = await gql(`{ neighborhood(actor: "russia", depth: 1, perNode: 25) { nodes { id } edges { id } } }`);
  const wantNodes = want.neighborhood.nodes.map((n) => n.id).sort();
  assert.ok(wantNodes.includes('usa') && wantNodes.includes('kerry') && wantNodes.includes('russian-military'));
  assert.deepEqual(await visibleNodes(page), wantNodes, "Russia's neighbours from the seed graph");
  assert.deepEqual(await visibleEdges(page), want.neighborhood.edges.map((e) => e.id).sort());
  assert.equal(new URL(await page.locator('#playground-link').evaluate((a) => a.href)).search, '?actor=russia');
  await shot(page, 'explorer-russia.png');

  // Double-click the United States to expand it too.
  const usa = await point(page, 'usa');
  assert.ok(usa, 'usa is drawn');
  await page.mouse.dblclick(usa.x, usa.y);
  await idle(page);
  const afterUSA = await visibleNodes(page);
  for (const id of ['us-military', 'us-state-department']) assert.ok(afterUSA.includes(id), `${id} appears after expanding usa`);
  assert.ok(await page.evaluate(() => window.__explorer.cy.getElementById('usa').hasClass('expanded')));

  // Filter to ACCUSES: every other edge is hidden.
  const before = (await visibleEdges(page)).length;
  await page.locator('#type-filter button.ex-only[value="ACCUSES"]').click();
  await idle(page);
  const types = await page.evaluate(() => window.__explorer.cy.edges().filter((e) => e.visible()).map((e) => e.data('type')));
  assert.ok(types.length >= 1 && types.length < before, `ACCUSES filter leaves ${types.length} of ${before} edges`);
  assert.deepEqual([...new Set(types)], ['ACCUSES']);
  assert.ok((await visibleEdges(page)).includes('us-accuses-russia-convoy'));
  const hiddenOther = await page.evaluate(() => window.__explorer.cy.edges('[type != "ACCUSES"]').every((e) => !e.visible()));
  assert.ok(hiddenOther, 'no other relation type is drawn');

  // Click the US→Russia accusation where it is drawn.
  const edge = await point(page, 'us-accuses-russia-convoy');
  assert.ok(edge, 'the accusation is drawn');
  await page.mouse.click(edge.x, edge.y);
  const quote = page.locator('#details [data-testid="evidence-quote"]');
  await quote.first().waitFor();
  await idle(page);
  assert.equal(await quote.first().innerText(), QUOTE, 'verbatim quote');
  const details = page.locator('#details');
  assert.match(await details.locator('.ex-title').innerText(), /United States\s+ACCUSES\s+Russia/);
  assert.match(await details.locator('[data-testid="relation-attribution"]').innerText(), /REPORTED by the source/);
  const alleges = details.locator('[data-testid="alleges"]');
  const allegesText = await alleges.innerText();
  assert.match(allegesText, /Russia ATTACKS Humanitarian convoy/);
  assert.match(allegesText, /ALLEGED by United States/, 'the attack is shown as alleged');
  assert.equal(await alleges.locator('.ex-alleged').count(), 1, 'the alleged act carries the ALLEGED badge');
  assert.match(await details.locator('[data-testid="denied-by"]').innerText(), /Russia DENIES United States/);
  assert.match(await details.innerText(), /Russian Military Says It's Ready to Talk to U.S. about Aleppo/, 'source title');
  assert.ok(await page.evaluate(() => window.__explorer.cy.getElementById('us-accuses-russia-convoy').selected()));
  await shot(page, 'explorer-accusation.png');

  // Follow the alleged act: it is added to the view, dashed, with its own badge.
  await alleges.locator('button.ex-link').click();
  await page.locator('#details .ex-alleged-note').waitFor();
  await idle(page);
  assert.match(await page.locator('#details .ex-title').innerText(), /Russia\s+ATTACKS\s+Humanitarian convoy/);
  assert.match(await page.locator('#details [data-testid="relation-attribution"]').innerText(), /ALLEGED by United States/);
  assert.equal(await page.evaluate(() => window.__explorer.cy.getElementById('russia-attacks-convoy').style('line-style')), 'dashed');

  // Exports: Cytoscape JSON loads back into Cytoscape with the same counts;
  // networkx node-link carries its edges under one key, "edges", like the
  // server's export; the PNG is a PNG.
  const counts = await page.evaluate(() => ({ nodes: window.__explorer.visibleNodeIds().length, edges: window.__explorer.visibleEdgeIds().length }));
  const cyJSON = JSON.parse(await download(page, '#export-cy', 'explorer-view.cytoscape.json'));
  const loaded = await page.evaluate((els) => {
    const c = window.__explorer.cytoscape({ headless: true, elements: els });
    return { nodes: c.nodes().length, edges: c.edges().length };
  }, cyJSON.elements);
  assert.deepEqual(loaded, counts);
  const nx = JSON.parse(await download(page, '#export-nx', 'explorer-view.networkx.json'));
  assert.equal(nx.multigraph, true);
  assert.equal(nx.directed, true);
  assert.equal(nx.links, undefined, 'edges written once, not also as "links"');
  assert.equal(nx.nodes.length, counts.nodes);
  assert.equal(nx.edges.length, counts.edges);
  const acc = nx.edges.find((l) => l.id === 'us-accuses-russia-convoy');
  assert.equal(acc.source, 'usa');
  assert.equal(acc.target, 'russia');
  assert.equal(acc.key, 'us-accuses-russia-convoy');
  assert.equal(acc.relation, 'ACCUSES');
  assert.equal(acc.attribution, 'ASSERTED');
  assert.equal(acc.evidence[0].quote, QUOTE);
  const attack = nx.edges.find((l) => l.id === 'russia-attacks-convoy');
  assert.equal(attack.attribution, 'ALLEGED');
  assert.equal(attack.claimed_by, 'usa');
  const png = await download(page, '#export-png', 'explorer-view.png', null);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 5000, `PNG is ${png.length} bytes`);

  // Reset, then the time slider: the latest day only, no undated relations.
  await page.locator('#reset-filters').click();
  await idle(page);
  assert.equal((await visibleEdges(page)).length, await page.evaluate(() => window.__explorer.cy.edges().length), 'all edges back');
  await page.locator('label:has(#include-undated)').click();
  await page.locator('#date-from').focus();
  await page.keyboard.press('End');
  await idle(page);
  const last = await page.locator('#date-from-out').innerText();
  const dated = await page.evaluate(() => window.__explorer.cy.edges().filter((e) => e.visible()).map((e) => e.data('occurred')));
  assert.ok(dated.length >= 1, 'something happened on the last day');
  assert.ok(dated.every((d) => d && d <= last), `all visible edges overlap ${last}: ${dated}`);
  assert.ok(dated.length < before, 'the slider hides earlier relations');
  s.assertClean();
});

// download clicks a button and returns the saved file (text unless encoding is null).
async function download(page, selector, name, encoding = 'utf8') {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const file = path.join(ARTIFACTS, name);
  await dl.saveAs(file);
  return fs.readFile(file, encoding ? { encoding } : undefined);
}

test('explorer: the path finder connects the United States and al-Qaida\'s affiliate', async (t) => {
  const s = await openExplorer(t);
  const { page } = s;

  await page.locator('#path-from').click();
  await page.keyboard.type('United States', { delay: 15 });
  await page.locator('#path-from-results button[data-id="usa"]').click();
  await page.locator('#path-to').click();
  await page.keyboard.type("al-Qaida's affiliate", { delay: 15 });
  await page.locator('#path-to-results button[data-id="jabhat-fateh-al-sham"]').click();
  await page.locator('#path-find').click();
  await page.locator('#path-results .ex-path').first().waitFor();
  await idle(page);

  const text = await page.locator('#path-results').innerText();
  assert.match(text, /from United States to Jabhat Fateh al-Sham/);
  assert.match(await page.locator('#path-results .ex-path').first().innerText(), /^United States .* Jabhat Fateh al-Sham$/);

  const want = await gql(`{ paths(from: "usa", to: "jabhat-fateh-al-sham") { paths { hops { relation { id } } } } }`);
  assert.ok(want.paths.paths.length >= 1);
  const hops = want.paths.paths[0].hops.map((h) => h.relation.id);
  assert.equal(await page.evaluate(() => document.body.dataset.path), hops.join(' '));
  // The highlighted edges, all drawn, lead from usa to jabhat-fateh-al-sham.
  const chain = await page.evaluate(() => {
    const cy = window.__explorer.cy;
    const edges = cy.edges('.path');
    const r = cy.elements('.path').aStar({ root: '#usa', goal: '#jabhat-fateh-al-sham', directed: false });
    return { found: r.found, length: r.distance, allVisible: edges.every((e) => e.visible()) };
  });
  assert.deepEqual(chain, { found: true, length: hops.length, allVisible: true });
  await shot(page, 'explorer-path.png');
  s.assertClean();
});

test('explorer: a cap on relations per actor, then expanding by chosen relation types', async (t) => {
  const s = await openExplorer(t);
  const { page } = s;
  await page.locator('#per-node').click({ clickCount: 3 });
  await page.keyboard.type('3');
  await startFromRussia(page);
  assert.match(await page.locator('#status').innerText(), /capped at 3 per actor/);
  assert.ok(await page.evaluate(() => window.__explorer.cy.getElementById('russia').hasClass('truncated')));
  const capped = await visibleEdges(page);
  assert.ok(capped.length <= 3, `${capped.length} relations shown with a cap of 3`);

  await page.locator('#expand-types summary').click();
  for (const type of ['ACCUSES', 'DENIES']) {
    await page.locator(`#expand-types-list label:has(input[value="${type}"])`).click();
  }
  assert.equal(await page.locator('#expand-types-count').innerText(), '(2)');
  const want = await gql(`{ neighborhood(actor: "russia", types: [ACCUSES, DENIES], perNode: 3) { edges { id } } }`);
  const russia = await point(page, 'russia');
  await page.mouse.dblclick(russia.x, russia.y);
  await idle(page);
  const edges = await visibleEdges(page);
  for (const e of want.neighborhood.edges) assert.ok(edges.includes(e.id), `${e.id} added by the typed expansion`);
  assert.ok(edges.includes('us-accuses-russia-convoy') && edges.includes('russia-denies-convoy-accusation'));
  s.assertClean();
});

test('explorer: ?actor= starts there; the API key goes out as a Bearer token', async (t) => {
  const s = await openExplorer(t, '?actor=russia');
  const { page } = s;
  assert.ok((await visibleNodes(page)).includes('usa'));
  assert.equal(await page.locator('#playground-link').getAttribute('href'), '/?actor=russia');

  await page.locator('#api-key').click();
  await page.keyboard.type('test-key-123');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => localStorage.getItem('actorgraph.apiKey')), 'test-key-123');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST'),
    (async () => {
      await page.locator('#search-input').click();
      await page.keyboard.type('Kerry');
      await page.keyboard.press('Enter');
    })(),
  ]);
  assert.equal(req.headers().authorization, 'Bearer test-key-123');
  await idle(page);
  s.assertClean();
});

test('playground: loads from the server only and runs an example query', async (t) => {
  const s = await open(t);
  const { page } = s;
  await page.goto(`${origin}/`);
  const run = page.locator('.graphiql-execute-button');
  await run.waitFor({ timeout: 30_000 });
  // Wait for the schema (introspection) so the editor is ready.
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  assert.equal(await page.locator('a[href^="/explore"]').count() >= 1, true, 'links to the explorer');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${origin}/graphql` && r.request().method() === 'POST' &&
      (r.request().postData() || '').includes('relations')),
    run.click(),
  ]);
  assert.equal(res.status(), 200);
  const result = page.locator('.graphiql-response .result-window');
  await page.waitForFunction(() => /"data"/.test(document.querySelector('.graphiql-response .result-window')?.innerText || ''));
  // The result editor draws only the lines in view: the start of the answer.
  const text = await result.innerText();
  assert.match(text, /"data": \{\s*"relations": \{\s*"totalCount": [1-9]/);
  assert.doesNotMatch(text, /"errors"/);
  await shot(page, 'playground.png');
  s.assertClean();
});

test('the server\'s Cytoscape export loads into Cytoscape in the browser with the store\'s counts', async (t) => {
  const { page, assertClean } = await openExplorer(t);
  // What the store holds: every relation is an edge, every actor and place a node.
  const data = await gql('{ relations(filter: {rollUp: false}) { totalCount } actors { totalCount } places(first: 1000) { nodes { id } } }');
  const want = { nodes: data.actors.totalCount + data.places.nodes.length, edges: data.relations.totalCount };
  // The page fetches the export from the server, as a frontend would, and
  // hands it to Cytoscape.
  const got = await page.evaluate(async () => {
    const res = await fetch('/export/cytoscape');
    const doc = await res.json();
    const c = window.__explorer.cytoscape({ headless: true, elements: doc.elements });
    return { nodes: c.nodes().length, edges: c.edges().length, type: res.headers.get('content-type') };
  });
  assert.match(got.type, /^application\/json/);
  assert.deepEqual({ nodes: got.nodes, edges: got.edges }, want);
  assert.ok(want.edges >= 41, `only ${want.edges} relations`);
  assertClean();
});
