// Helpers that read like a user's steps: sign in, navigate, check a screen
// with axe-core, watch for console errors and CSP violations.
import assert from 'node:assert/strict'
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { ADMIN, PASSWORD } from './seed.mjs'

export const TIMEOUT = 15000
export const SHOTS = join(import.meta.dirname, '..', '..', 'build', 'bin', 'e2e')

// signIn signs in on the sign-in form shown for whatever route is open.
export async function signIn(page, { admin = ADMIN, password = PASSWORD } = {}) {
  await page.getByTestId('signin').waitFor()
  await page.getByLabel(/^Administrator/).fill(admin)
  await page.getByLabel(/^Password/).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('signed-in-as').waitFor()
}

// open goes to a hash route of the app.
export async function open(page, url, route) {
  await page.goto(`${url}/#${route}`)
}

// watch records CSP violations, console errors and page errors.
export async function watch(page) {
  const seen = { violations: [], errors: [] }
  await page.exposeFunction('__rpViolation', (v) => seen.violations.push(v))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__rpViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    )
  })
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    // A refused operation answers with a 4xx status, which Chromium logs as a
    // failed resource load: expected, and shown to the user in words.
    if (m.text().startsWith('Failed to load resource') && m.location().url.includes('/api/call/')) return
    seen.errors.push(m.text())
  })
  page.on('pageerror', (e) => seen.errors.push(String(e)))
  page.on('dialog', (d) => {
    seen.errors.push(`unexpected dialog: ${d.message()}`)
    void d.dismiss()
  })
  return seen
}

// axe checks the page with axe-core: no violation of impact serious or critical.
export async function axe(page, what) {
  // Animations first settle (a modal fading in, a theme's colours changing):
  // axe reads colours through them otherwise. Endless ones (spinners) are
  // not waited for. Transient toasts are left out: they fade by design.
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      null,
      { timeout: 5000 },
    )
    .catch(() => {})
  const res = await new AxeBuilder({ page }).exclude('.n-message-container').analyze()
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`),
    [],
    `axe on ${what}`,
  )
}

// shot saves a full-page screenshot under build/bin/e2e.
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  const file = join(SHOTS, name)
  await page.screenshot({ path: file, fullPage: true })
  assert.ok(statSync(file).size > 5000, `${file} looks empty`)
  return file
}
