// Serve mode in the real browser: the built UI runs under the server's
// Content-Security-Policy without a single violation, the session cookie is
// HttpOnly + SameSite=Strict and invisible to scripts, deep links fall back
// to the app, a page on another origin cannot sign the admin out (CSRF), and
// a DNS-rebinding host name is refused. Screenshots go to build/bin/e2e/.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM, launchBrowser, startPortal } from './harness.mjs'

const TIMEOUT = 15000
const PASSWORD = 'correct horse battery'
const SHOTS = join(import.meta.dirname, '..', '..', 'build', 'bin', 'e2e')

// watch records CSP violations and console errors of a page.
async function watch(page) {
  const seen = { violations: [], errors: [] }
  await page.exposeFunction('__rpViolation', (v) => seen.violations.push(v))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__rpViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    )
  })
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text())
  })
  page.on('pageerror', (e) => seen.errors.push(String(e)))
  return seen
}

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  const file = join(SHOTS, name)
  await page.screenshot({ path: file, fullPage: true })
  assert.ok(statSync(file).size > 5000, `${file} looks empty`)
}

describe('serve mode in the browser', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal()
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('serves the UI with the security headers', async () => {
    const res = await page.goto(portal.url)
    const h = res.headers()
    assert.equal(res.status(), 200)
    assert.match(h['content-security-policy'], /script-src 'self';/)
    assert.match(h['content-security-policy'], /frame-ancestors 'none'/)
    assert.equal(h['x-content-type-options'], 'nosniff')
    assert.equal(h['x-frame-options'], 'DENY')
    assert.equal(h['referrer-policy'], 'no-referrer')
    assert.equal(h['cache-control'], 'no-cache')
    await page.getByTestId('setup').waitFor()
  })

  it('caches the hashed assets for good', async () => {
    const src = await page.locator('script[type=module]').first().getAttribute('src')
    assert.match(src, /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.js$/)
    const res = await page.request.get(portal.url + src)
    assert.equal(res.headers()['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(res.headers()['content-type'], /^text\/javascript/)
  })

  it('sets up the portal and gets an HttpOnly, SameSite=Strict session cookie', async () => {
    await page.locator('#setup-reseller').fill('Serve Mode Resellers')
    await page.locator('#setup-admin').fill('carol')
    await page.locator('#setup-password').fill(PASSWORD)
    await page.locator('#setup-confirm').fill(PASSWORD)
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('home').waitFor()
    assert.match(await page.getByTestId('signed-in-as').innerText(), /carol/)
    const cookies = await browser.context.cookies(portal.url)
    const session = cookies.find((c) => c.name === 'rp_session')
    assert.ok(session, `no rp_session cookie in ${JSON.stringify(cookies)}`)
    assert.equal(session.httpOnly, true)
    assert.equal(session.sameSite, 'Strict')
    assert.equal(session.path, '/')
    assert.equal(session.value.length, 43)
    assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is readable by scripts')
    await shot(page, 'serve-home.png')
  })

  it('falls back to the app on a deep link, still signed in', async () => {
    const res = await page.goto(`${portal.url}/licenses/ABCD-1234/activations`)
    assert.equal(res.status(), 200)
    await page.getByTestId('home').waitFor()
    const missing = await page.request.get(`${portal.url}/assets/missing-12345678.js`)
    assert.equal(missing.status(), 404)
  })

  it('refuses a sign-out posted by a page on another origin', async () => {
    // A hostile page on another port of the same host: same-site, so the
    // SameSite=Strict cookie rides along; the server's Sec-Fetch-Site check
    // is what stops it.
    const evil = createServer((req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end(`<!doctype html><form id="f" method="post" enctype="text/plain" action="${portal.url}/api/call/signout">
        <input name='{"a":"' value='"}'></form>
        <script>
          fetch(${JSON.stringify(portal.url + '/api/call/signout')}, { method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: { 'Content-Type': 'text/plain' }, body: '{}' })
            .finally(() => { document.title = 'fetched'; document.getElementById('f').submit() })
        </script>`)
    })
    await new Promise((r) => evil.listen(0, '127.0.0.1', r))
    try {
      const attacker = await browser.context.newPage()
      await attacker.goto(`http://127.0.0.1:${evil.address().port}/`)
      await attacker.waitForURL(/\/api\/call\/signout$/, { timeout: TIMEOUT })
      const body = await attacker.locator('body').innerText()
      assert.match(body, /cross_site_request/)
      await attacker.close()
    } finally {
      evil.close()
    }
    await page.reload()
    await page.getByTestId('home').waitFor()
    assert.match(portal.output(), /api signout: 403 cross_site_request/)
  })

  it('ran the whole flow without a CSP violation or a console error', async () => {
    // The failed sign-in below is expected to log a 401; check before it.
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(
      seen.errors.filter((e) => !/status of 404/.test(e)),
      [],
    )
  })

  it('signs out, shows the mapped error for a wrong password, signs in again', async () => {
    await page.getByTestId('signout').click()
    await page.getByTestId('signin').waitFor()
    assert.equal((await browser.context.cookies(portal.url)).filter((c) => c.name === 'rp_session').length, 0)
    await page.locator('#signin-admin').fill('carol')
    await page.locator('#signin-password').fill('wrong wrong wrong')
    await page.getByTestId('signin-submit').click()
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    assert.equal(await problem.getAttribute('data-code'), 'wrong_password')
    assert.equal((await problem.innerText()).trim(), 'Wrong password.')
    await shot(page, 'serve-wrong-password.png')
    await page.locator('#signin-password').fill(PASSWORD)
    await page.getByTestId('signin-submit').click()
    await page.getByTestId('home').waitFor()
    assert.deepEqual(seen.violations, [])
  })

  it('refuses a host name it does not serve (DNS rebinding)', async () => {
    const port = new URL(portal.url).port
    const profile = mkdtempSync(join(tmpdir(), 'rp-chromium-'))
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    })
    try {
      const p = await ctx.newPage()
      const res = await p.goto(`http://rebind.test:${port}/`)
      assert.equal(res.status(), 421)
      assert.match(await p.locator('body').innerText(), /host_not_allowed/)
      const ok = await p.goto(`http://localhost:${port}/`)
      assert.equal(ok.status(), 200)
    } finally {
      await ctx.close()
      rmSync(profile, { recursive: true, force: true })
    }
  })

  it('stops on SIGTERM, signing everyone out and closing the database', async () => {
    await portal.stop()
    // 'exit' may come before the last output is read: give the pipe a moment.
    for (let i = 0; i < 40 && !/stopped; database closed/.test(portal.output()); i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.match(portal.output(), /stopped; database closed/)
    const gone = await page.request.get(`${portal.url}/healthz`).catch((e) => e)
    assert.ok(gone instanceof Error, 'still answering after SIGTERM')
  })
})
