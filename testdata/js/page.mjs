// node page.mjs chart.html QUERY screenshot.png
//
// Opens the org chart's HTML page in headless Chromium (1,600 × 1,000),
// types QUERY into its search box, and prints as JSON what a reader then
// sees: the status text, the circles highlighted, whether the first is in
// view, and the chart's width once fitted. Saves a screenshot.
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [file, query, shot] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewport({ width: 1600, height: 1000 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const fitted = await page.evaluate(() => document.querySelector('main svg').getBoundingClientRect().width);
  await page.type('#q', query);
  const out = await page.evaluate(() => {
    const hits = [...document.querySelectorAll('g.hit')];
    const main = document.querySelector('main').getBoundingClientRect();
    const r = hits.length ? hits[0].getBoundingClientRect() : null;
    return {
      status: document.getElementById('count').textContent,
      hits: hits.map((g) => g.getAttribute('data-circle')),
      firstInView: !!r && r.top >= main.top && r.bottom <= main.bottom && r.left >= main.left && r.right <= main.right,
    };
  });
  if (shot) await page.screenshot({ path: shot });
  process.stdout.write(JSON.stringify({ ...out, fitted, errors }));
} finally {
  await browser.close();
}
