// Shared by the checkers: starts the machine's Chromium (never a downloaded
// one) headless through puppeteer-core.
import puppeteer from 'puppeteer-core';

export async function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
