// "Try it with a demo publisher" from the first-run screen: a separate demo
// database, signed in, a banner on every screen, the sample activation
// request saved, and one click back to the real (still empty) first run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { axe, shot, watch, TIMEOUT } from './pages.mjs'

describe('the demo publisher', () => {
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

  it('is offered on the first-run screen and opens a signed-in demo portal', async () => {
    await page.goto(portal.url)
    await page.getByTestId('setup').waitFor()
    await axe(page, 'first run')
    await page.getByRole('button', { name: 'Try it with a demo publisher' }).click()
    await page.getByTestId('demo-banner').waitFor()
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor()
    await page.getByTestId('count-available').waitFor()
    const counts = await Promise.all(['available', 'assigned', 'active', 'expired'].map((s) => page.getByTestId(`count-${s}`).locator('.n').innerText()))
    assert.equal(counts.map(Number).reduce((a, b) => a + b, 0), 50)
    assert.ok(existsSync(join(portal.dir, 'portal-demo.db')), 'the demo database lies beside the real one')
    await shot(page, 'demo-dashboard.png')
  })

  it('shows the banner on every screen and saves the sample request', async () => {
    await page.getByRole('link', { name: 'Licenses' }).click()
    await page.getByTestId('demo-banner').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the sample activation request…' }).click()])
    const file = join(portal.dir, 'sample.txt')
    await download.saveAs(file)
    assert.match(readFileSync(file, 'utf8'), /-----BEGIN [A-Z ]*ACTIVATION REQUEST-----/)
  })

  it('goes back to the real first run in one click', async () => {
    await page.getByRole('button', { name: 'Leave the demo' }).click()
    await page.getByTestId('setup').waitFor()
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
