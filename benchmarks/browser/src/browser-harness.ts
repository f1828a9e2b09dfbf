/**
 * Debian's Chromium, headless, driven by Playwright, with the page of `build-page.ts` served by
 * nginx from a temporary folder. Each measured run gets a fresh browser context (its own
 * renderer, an empty HTTP cache), sets the page up untimed, then runs one case.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NginxServer, startNginx } from '@reprokit/http-test-servers';
import { type Browser, type CDPSession, chromium } from 'playwright';
import { buildPage } from './build-page.js';
import {
  type BenchPage,
  type CaseName,
  type CaseResult,
  ONNXRUNTIME_CASES,
  type PageSetup,
} from './page/bench-protocol.js';
import { type FixtureSize, type Fixtures, writeFixtures } from './write-fixtures.js';

export const chromiumPath = process.env.REPROKIT_CHROMIUM ?? '/usr/bin/chromium';

export interface HeapReading {
  /** V8's used heap plus ArrayBuffer backing stores just before the load, after a GC. */
  beforeBytes: number;
  /** The largest sum seen while the load ran (sampled over CDP, see `sampleHeap`). */
  peakBytes: number;
  /** The sum after the load, after a GC: what the loaded model keeps. */
  afterBytes: number;
  /** Samples taken while the load ran. */
  samples: number;
}

export interface RunOptions {
  /** Sample the heap while the load runs (it takes time of its own: not for timed runs). */
  sampleHeap?: boolean;
  /** Ask the page for the loaded model's fingerprint and prediction (untimed). */
  verify?: boolean;
}

export interface BenchRun extends CaseResult {
  heap?: HeapReading;
}

export interface BrowserBench {
  fixtures: Fixtures;
  server: NginxServer;
  /** Chromium's version, as Playwright reports it. */
  browserVersion: string;
  run(name: CaseName, options?: RunOptions): Promise<BenchRun>;
  close(): Promise<void>;
}

/**
 * Write the fixtures of `size` and the page into a new temporary folder, serve it with nginx
 * and launch Chromium. Close it when done (stops both, removes the folder).
 */
export async function startBrowserBench(
  size: FixtureSize,
  setup: PageSetup,
): Promise<BrowserBench> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: run bash scripts/install-system-packages.sh`,
    );
  }
  const root = await mkdtemp(join(tmpdir(), 'reprokit-browser-bench-'));
  let server: NginxServer | undefined;
  let browser: Browser | undefined;
  try {
    const fixtures = await writeFixtures(root, size);
    await buildPage(root);
    server = await startNginx({ root });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--enable-precise-memory-info',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const openedServer = server;
    const openedBrowser = browser;
    return {
      fixtures,
      server: openedServer,
      browserVersion: openedBrowser.version(),
      run: (name, options = {}) =>
        runInFreshPage(openedBrowser, openedServer.url, setup, name, fixtures, options),
      async close() {
        await openedBrowser.close();
        await openedServer.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.stop();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function runInFreshPage(
  browser: Browser,
  url: string,
  setup: PageSetup,
  name: CaseName,
  fixtures: Fixtures,
  options: RunOptions,
): Promise<BenchRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/index.html`);
    await page.waitForFunction(() => 'reprokitBench' in globalThis);
    const backend = await page.evaluate(
      (pageSetup) =>
        (globalThis as unknown as { reprokitBench: BenchPage }).reprokitBench.setup(pageSetup),
      { ...setup, startOnnxruntime: ONNXRUNTIME_CASES.includes(name) },
    );
    if (backend !== setup.tfjsBackend) {
      throw new Error(`tfjs runs on ${backend}, not ${setup.tfjsBackend}`);
    }
    const cdp = await context.newCDPSession(page);
    let heap: HeapReading | undefined;
    let before = 0;
    if (options.sampleHeap) {
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      before = await heapBytes(cdp);
    }
    const running = page.evaluate(
      ([caseName, input]) =>
        (globalThis as unknown as { reprokitBench: BenchPage }).reprokitBench.run(
          caseName,
          input ?? undefined,
        ),
      [name, options.verify ? fixtures.input : null] as const,
    );
    if (options.sampleHeap) {
      const { peak, samples } = await sampleHeap(cdp, running);
      await cdp.send('HeapProfiler.collectGarbage');
      const after = await heapBytes(cdp);
      heap = { beforeBytes: before, peakBytes: Math.max(peak, after), afterBytes: after, samples };
    }
    const result = await running;
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    return { ...result, ...(heap === undefined ? {} : { heap }) };
  } finally {
    await context.close();
  }
}

/** V8's used heap plus the ArrayBuffer backing stores it accounts for. */
async function heapBytes(cdp: CDPSession): Promise<number> {
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    usedSize: number;
    backingStorageSize?: number;
  };
  return usage.usedSize + (usage.backingStorageSize ?? 0);
}

/**
 * Poll `Runtime.getHeapUsage` until `work` settles. Chromium answers inspector commands
 * between JavaScript tasks and also by interrupting long-running JavaScript, so a load that
 * keeps the main thread busy is still sampled; the peak is the largest sample, a lower bound
 * of the true peak.
 */
async function sampleHeap(
  cdp: CDPSession,
  work: Promise<unknown>,
): Promise<{ peak: number; samples: number }> {
  let done = false;
  void work.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  let peak = 0;
  let samples = 0;
  while (!done) {
    peak = Math.max(peak, await heapBytes(cdp));
    samples++;
  }
  return { peak, samples };
}
