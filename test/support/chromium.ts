import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { describeWhen } from './requires';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Skipped only where no Chromium exists; .ci/run installs Debian's package.
export const describeWithChromium = describeWhen(
  existsSync(CHROMIUM),
  `no Chromium at ${CHROMIUM} (apt-get install chromium)`,
);

/** Debian's Chromium, headless, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a sandbox-less container, and without the background services a
    // closed network makes Chromium retry forever.
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
