// node svgtext.mjs chart.svg
//
// Opens an SVG file in headless Chromium and prints, as JSON, the box the
// browser gives every <text> element (getBBox, in the SVG's user units), in
// document order, with its class and text. The org chart's tests compare
// these boxes with the ones the Go layout estimated without a font engine.
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const file = process.argv[2];
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const boxes = await page.evaluate(() => [...document.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return { class: t.getAttribute('class'), text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
  }));
  const fonts = await page.evaluate(() => getComputedStyle(document.querySelector('text')).fontFamily);
  process.stdout.write(JSON.stringify({ fonts, boxes }));
} finally {
  await browser.close();
}
