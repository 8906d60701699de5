// The signed-in shell end to end in the browser: a signed-out deep link lands
// on sign-in and returns to its screen; enrollment from the UI (request
// downloaded → `rpctl vendor enroll` → certificate uploaded); the banners;
// the dashboard's next step; Lock; reloads keep the route; axe-core on each
// screen; no console errors or CSP violations.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { axe, open, shot, signIn, watch, TIMEOUT } from './pages.mjs'
import { certify, seedSetUp } from './seed.mjs'

describe('the shell, the dashboard and enrollment', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal({ seed: seedSetUp() })
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('shows sign-in for a signed-out deep link, then the screen it asked for', async () => {
    await open(page, portal.url, '/enroll')
    await signIn(page)
    await page.getByRole('heading', { name: 'Enrollment', level: 2 }).waitFor()
    assert.match(page.url(), /#\/enroll$/)
    assert.equal(await page.getByRole('link', { name: 'Enrollment' }).getAttribute('aria-current'), 'page')
  })

  it('warns that the portal is not enrolled, with the action that fixes it', async () => {
    await open(page, portal.url, '/dashboard')
    const banner = page.getByTestId('banner-not-enrolled')
    await banner.waitFor()
    await banner.getByRole('link', { name: 'Enroll now' }).waitFor()
    const steps = page.getByTestId('next-steps')
    await steps.waitFor()
    assert.equal(await steps.locator('li[data-state="now"]').innerText().then((s) => s.includes('Enroll with your publisher')), true)
    await axe(page, 'dashboard (new portal)')
    await shot(page, 'dashboard-new.png')
    await banner.getByRole('link', { name: 'Enroll now' }).click()
    await page.getByRole('heading', { name: 'Enrollment', level: 2 }).waitFor()
  })

  it('enrolls end to end: request downloaded, certified by the publisher tool, certificate uploaded', async () => {
    await page.getByRole('button', { name: 'Create the enrollment request' }).click()
    await page.getByRole('img', { name: /QR code of/ }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the request…' }).click()])
    assert.match(download.suggestedFilename(), /^Acme-Resellers\.enrollment-request\.txt$/)
    const reqFile = join(portal.dir, 'ui-request.txt')
    await download.saveAs(reqFile)
    assert.match(readFileSync(reqFile, 'utf8'), /-----BEGIN /)
    const cert = await certify(portal.env, portal.seeded.vdir, reqFile, join(portal.dir, 'ui-cert.txt'))
    await axe(page, 'enrollment')

    const input = page.getByTestId('cert-input')
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), input.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(cert)
    await page.getByTestId('enroll-done').waitFor()
    await page.getByTestId('publisher-key').waitFor()
    assert.equal(await page.getByTestId('enrolled-products').innerText(), 'cad-pro, viewer')
    assert.equal(await page.getByTestId('banner-not-enrolled').count(), 0)
    await shot(page, 'enroll-done.png')
  })

  it('refuses a certificate that is not one, in words, and changes nothing', async () => {
    const input = page.getByTestId('cert-input')
    await input.getByRole('button', { name: 'Paste text' }).click()
    await page.getByLabel('Pasted the reseller certificate').fill('-----BEGIN RESELLER CERTIFICATE-----\nnot base64!\n-----END RESELLER CERTIFICATE-----\n')
    await page.getByRole('button', { name: 'Use the pasted text' }).click()
    const problem = page.getByTestId('problem').first()
    await problem.waitFor()
    assert.notEqual(await problem.getAttribute('data-code'), '')
    assert.doesNotMatch(await problem.innerText(), /^[a-z_]+$/) // words, not a bare code
    await page.getByTestId('publisher-key').waitFor()
  })

  it('shows the next step of a new portal on the dashboard once enrolled', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click()
    const now = page.getByTestId('next-steps').locator('li[data-state="now"]')
    await now.waitFor()
    assert.match(await now.innerText(), /Import an allocation bundle/)
    await page.getByTestId('cert-expiry').getByText(/Valid until/).waitFor()
  })

  it('keeps the route across a reload', async () => {
    await open(page, portal.url, '/enroll')
    await page.getByTestId('publisher-key').waitFor()
    await page.reload()
    await page.getByTestId('publisher-key').waitFor()
    assert.match(page.url(), /#\/enroll$/)
  })

  it('locks to sign-in and comes back to the same screen', async () => {
    await page.getByRole('button', { name: 'Lock' }).click()
    await page.getByTestId('signin').waitFor()
    await page.getByText('Locked. Sign in again to continue where you were.').waitFor()
    await signIn(page)
    await page.getByTestId('publisher-key').waitFor()
    assert.match(page.url(), /#\/enroll$/)
  })

  it('shows a not-found screen for an unknown route', async () => {
    await open(page, portal.url, '/no-such-screen')
    await page.getByText('There is no such screen.').waitFor()
    await page.getByRole('link', { name: 'Go to the dashboard' }).click()
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor()
  })

  it('looks right in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await open(page, portal.url, '/dashboard')
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor()
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true)
    await page.waitForTimeout(600) // Naive UI animates the theme's colours
    await axe(page, 'dashboard (dark)')
    await shot(page, 'dashboard-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('had no console errors and no CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})

describe('a certificate that expires soon', () => {
  let portal
  let browser

  before(async () => {
    portal = await startPortal({
      seed: async (ctx) => {
        const s = await seedSetUp()(ctx)
        const { rpctl } = await import('./seed.mjs')
        const req = join(ctx.dir, 'req.txt')
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'enroll', 'request', '--out', req], { json: false })
        await rpctl(ctx.env, ['vendor', 'enroll', '--dir', s.vdir, '--request', req, '--products', 'cad-pro', '--valid-days', '10', '--out', join(ctx.dir, 'cert.txt')], { json: false })
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'enroll', 'complete', '--cert', join(ctx.dir, 'cert.txt')], { json: false })
        return s
      },
    })
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('warns on every screen with the days left and a way to renew', async () => {
    const page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    await open(page, portal.url, '/dashboard')
    await signIn(page)
    const banner = page.getByTestId('banner-cert-expiring')
    await banner.waitFor()
    assert.match(await banner.innerText(), /\(\d+ days left\)/)
    await banner.getByRole('link', { name: 'Renew enrollment' }).waitFor()
  })
})
