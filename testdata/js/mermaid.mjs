// node mermaid.mjs chart.mmd [screenshot.png]
//
// Renders Mermaid text with the real mermaid library (its browser build,
// node_modules/mermaid/dist/mermaid.min.js) in headless Chromium and prints,
// as JSON: the parse or render error if any; the box of every node (by the
// id the text gave it) and of every edge label, in page pixels; and the
// rendered SVG's size. With a second argument it also saves a screenshot.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { launch } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const text = readFileSync(process.argv[2], 'utf8');
const shot = process.argv[3];
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1600, height: 1000 });
  await page.goto(pathToFileURL(join(here, 'mermaid.html')).href, { waitUntil: 'load' });
  const out = await page.evaluate(async (src) => {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { useMaxWidth: false } });
    let svg;
    try {
      await window.mermaid.parse(src);
      ({ svg } = await window.mermaid.render('chart', src));
    } catch (e) {
      return { error: String(e && e.message ? e.message : e) };
    }
    const holder = document.getElementById('out');
    holder.innerHTML = svg;
    const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const nodes = {};
    for (const g of holder.querySelectorAll('g.node')) {
      const m = /flowchart-(.+)-\d+$/.exec(g.id);
      if (m) nodes[m[1]] = box(g);
    }
    const labels = [...holder.querySelectorAll('g.edgeLabel')]
      .filter((g) => g.textContent.trim() !== '')
      .map((g) => ({ text: g.textContent.trim(), ...box(g.querySelector('.label') || g) }));
    const s = holder.querySelector('svg').getBoundingClientRect();
    return { nodes, labels, width: s.width, height: s.height };
  }, text);
  if (shot && !out.error) {
    await page.setViewport({ width: Math.max(400, Math.ceil(out.width)), height: Math.max(300, Math.ceil(out.height)) });
    await page.screenshot({ path: shot, fullPage: true });
  }
  process.stdout.write(JSON.stringify(out));
} finally {
  await browser.close();
}
