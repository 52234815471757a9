// node axe.mjs page.html
//
// Opens an HTML page in headless Chromium and runs axe-core's WCAG 2.0, 2.1
// and 2.2 level A and AA rules on it, at a desktop width and a phone width.
// Prints as JSON the violations found (rule, impact, help, the elements)
// and how many rules passed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [file] = process.argv.slice(2);
const browser = await launch();
try {
  const out = { violations: [], passes: 0, errors: [] };
  for (const width of [1280, 390]) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => out.errors.push(String(e)));
    await page.setViewport({ width, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate(axeSource);
    const res = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
      resultTypes: ['violations'],
    }));
    out.passes += res.passes.length;
    for (const v of res.violations) {
      out.violations.push({ width, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) });
    }
    await page.close();
  }
  process.stdout.write(JSON.stringify(out));
} finally {
  await browser.close();
}
