import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (never a downloaded browser), headless, with the flags this machine needs. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Screenshots a reviewer can open (git-ignored). */
export const ARTIFACTS = path.resolve('test-artifacts', 'console');
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

/** Elements that stick out past the right edge of the window: what makes a phone scroll sideways. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const box = el.getBoundingClientRect();
      // Inside a scrolling box (a table on a phone) is fine: only what widens the page counts.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') clipped = true;
      }
      if (!clipped && box.right > width + 0.5 && box.width > 0) out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`);
      if (out.length > 4) break;
    }
    return out.length ? out : [`page ${document.documentElement.scrollWidth} px`];
  });
}

/**
 * The page as a person sees it, saved twice: at the window's width (1280 px) and on a phone (390 px),
 * where it must fit (a table scrolls inside its own box; nothing makes the page scroll sideways).
 */
export async function shoot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.screenshot({ path: artifact(name), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: artifact(`${name}-390`), fullPage: true });
    expect(await overflowing(page), `${name} at 390 px`).toEqual([]);
  } finally {
    await page.setViewportSize(size);
  }
}
