// Opens a `kubeward paths --format html` page in headless Chromium and checks that it renders
// offline: the map has the expected nodes and edges, nothing is logged as an error, clicking a
// node and an edge shows their evidence, and the page makes no network request.
//
//   node risk-map.test.mjs PAGE.html NODES EDGES
//
// Chromium is the system one (Debian package `chromium`), or $CHROMIUM.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const [file, nodes, edges] = process.argv.slice(2);
if (!file || nodes === undefined || edges === undefined) {
  console.error('usage: node risk-map.test.mjs PAGE.html NODES EDGES');
  process.exit(2);
}
const url = pathToFileURL(file).href;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // Running as root in CI containers needs --no-sandbox; the page is our own output.
  args: ['--no-sandbox', '--disable-gpu'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => { errors.push(`dialog opened: ${d.message()}`); await d.dismiss(); });
  page.on('request', (r) => requests.push(r.url()));

  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });

  const counts = await page.evaluate(() => ({
    nodes: window.cy.nodes().length,
    edges: window.cy.edges().length,
    visible: window.cy.nodes().filter((n) => n.visible()).length,
  }));
  assert.equal(counts.nodes, Number(nodes), 'nodes drawn');
  assert.equal(counts.edges, Number(edges), 'edges drawn');
  assert.equal(counts.visible, counts.nodes, 'every node visible');

  const box = await page.locator('#map').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, 'the map has a size');

  // Click the first workload node (or any node) where Cytoscape drew it.
  const node = await page.evaluate(() => {
    const n = window.cy.nodes('[type = "workload"]').first().length
      ? window.cy.nodes('[type = "workload"]').first()
      : window.cy.nodes().first();
    window.cy.fit(n, 200);
    const p = n.renderedPosition();
    return { x: p.x, y: p.y, label: n.data('label') };
  });
  await page.mouse.click(box.x + node.x, box.y + node.y);
  const nodeDetails = await page.locator('#details').textContent();
  assert.ok(nodeDetails.includes(node.label), `node details show "${node.label}": ${nodeDetails}`);

  // Click an edge at its midpoint: its evidence appears.
  const edge = await page.evaluate(() => {
    // The edge whose midpoint is farthest from every node, so the click cannot land on a node.
    let best = null;
    let bestGap = -1;
    window.cy.edges().forEach((e) => {
      const m = e.midpoint();
      let gap = Infinity;
      window.cy.nodes().forEach((n) => {
        const p = n.position();
        gap = Math.min(gap, Math.hypot(p.x - m.x, p.y - m.y));
      });
      if (gap > bestGap) { bestGap = gap; best = e; }
    });
    const e = best;
    window.cy.fit(e, 150);
    const p = e.renderedMidpoint();
    return { x: p.x, y: p.y, kind: e.data('label'), id: e.id() };
  });
  await page.mouse.click(box.x + edge.x, box.y + edge.y);
  const edgeDetails = await page.locator('#details').textContent();
  const evidence = await page.evaluate((id) => JSON.parse(document.getElementById('kubeward-data').textContent)
    .edges.find((e) => e.id === id).evidence.text, edge.id);
  assert.ok(edgeDetails.includes(`Edge ${edge.kind}`), `edge details: ${edgeDetails}`);
  assert.ok(edgeDetails.includes(evidence), `edge evidence "${evidence}" shown: ${edgeDetails}`);

  // Lists: every path and cut is listed; a cut button selects its edge.
  const lists = await page.evaluate(() => ({
    paths: document.querySelectorAll('#paths > li').length,
    cuts: document.querySelectorAll('#cuts button').length,
    scripts: document.querySelectorAll('script').length,
  }));
  assert.ok(lists.paths >= 1, 'paths listed');
  assert.equal(lists.scripts, 3, 'no script element injected by data');
  if (lists.cuts > 0) {
    await page.locator('#cuts button').first().click();
    assert.ok((await page.locator('#details').textContent()).includes('Because'), 'a cut shows its evidence');
  }

  assert.deepEqual(errors, [], 'no console errors, page errors or dialogs');
  assert.deepEqual(requests, [url], 'no request but the page itself');
  console.log(`ok: ${counts.nodes} nodes, ${counts.edges} edges, ${lists.paths} paths, ${lists.cuts} cuts; clicked "${node.label}" and edge ${edge.kind}; 1 request`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
