// Browser test harness: the real UI in the real Chromium (/usr/bin/chromium,
// driven by playwright-core, no browser download) against the real backend
// (`rpctl portal serve` on a fresh database in a temp dir).
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const RPCTL = process.env.RPCTL || join(import.meta.dirname, '..', '..', 'build', 'bin', 'rpctl')
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitForHttp(url, child, log, ms = 15000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`rpctl portal serve exited with ${child.exitCode}:\n${log()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`rpctl portal serve did not answer ${url} within ${ms} ms:\n${log()}`)
}

// startPortal runs `rpctl portal serve` on a fresh database with HOME and the
// XDG folders in a temp dir; stop() ends it and removes the dir, restart()
// serves the same database again. seed, when
// given, runs first with ({dir, db, env}) to fill the database through the
// real `rpctl` (see seed.mjs).
export async function startPortal({ seed } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rp-e2e-'))
  const env = { ...process.env }
  for (const [k, sub] of [['HOME', 'home'], ['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache']]) {
    env[k] = join(dir, sub)
    mkdirSync(env[k], { recursive: true })
  }
  delete env.RP_PASSWORD
  const port = await freePort()
  const addr = `127.0.0.1:${port}`
  const db = join(dir, 'portal.db')
  let seeded = null
  if (seed) seeded = await seed({ dir, db, env })
  let output = ''
  // RP_UI_DIR serves a UI built elsewhere (several people testing at once).
  const uiDir = process.env.RP_UI_DIR ? ['--ui-dir', process.env.RP_UI_DIR] : []
  const url = `http://${addr}`
  let child
  async function serve() {
    child = spawn(RPCTL, ['portal', '--db', db, 'serve', '--addr', addr, ...uiDir], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    await waitForHttp(`${url}/`, child, () => output)
  }
  async function halt() {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  try {
    await serve()
  } catch (err) {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    url,
    db,
    dir,
    env,
    seeded,
    output: () => output,
    // restart stops serve, runs between() (the database is closed: change
    // the file, e.g. build/scripts/tamper-audit), and serves the same
    // database at the same address again (sessions end with the process).
    async restart(between) {
      await halt()
      if (between) await between({ dir, db, env })
      await serve()
    },
    async stop() {
      await halt()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

// launchBrowser starts headless Chromium with a fresh profile (browser
// language locale, en-US unless given); close() ends it and removes the profile.
export async function launchBrowser({ args = [], locale = 'en-US' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'rp-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...args],
    viewport: { width: 1180, height: 780 },
    locale,
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
