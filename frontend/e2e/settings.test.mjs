// Settings end to end in serve mode: company and logo (the header follows),
// the custom domain (served by name after a restart; a name not configured
// is refused), administrators (add, sign in as them, remove; the last one
// stays), own password, backup download and restore upload on a fresh
// server (the same licenses come back), axe-core in light and dark, and no
// console errors or CSP violations.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { launchBrowser, startPortal } from './harness.mjs'
import { axe, open, shot, signIn, watch, TIMEOUT } from './pages.mjs'
import { ADMIN, PASSWORD, seedEnrolled } from './seed.mjs'

// png makes a real PNG of one colour (width × height, RGB).
function png(width, height, [r, g, b] = [0x1f, 0x6f, 0x5c]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.alloc(1 + width * 3)
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3)
  const raw = Buffer.concat(Array.from({ length: height }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const DOMAIN = 'portal.example.test'
const COMPANY = 'Acme Resellers GmbH'

async function openSettings(page) {
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor()
  await page.getByTestId('settings-admins').locator('tbody tr').first().waitFor()
}

async function signOut(page) {
  await page.getByTestId('signout').click()
  await page.getByTestId('signin').waitFor()
}

describe('settings in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let password = PASSWORD
  let backupFile

  before(async () => {
    portal = await startPortal({ seed: seedEnrolled() })
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('shows the settings: enrollment, how the team reaches this server, admins; axe in light and dark', async () => {
    await open(page, portal.url, '/settings')
    await signIn(page)
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor()
    assert.equal(await page.getByTestId('settings-products').innerText(), 'cad-pro, viewer')
    await page.getByTestId('settings-enrollment').getByRole('link', { name: 'Renew or change the enrollment' }).waitFor()
    const status = page.getByTestId('domain-status')
    assert.equal(await status.getAttribute('data-state'), 'none')
    assert.equal(await page.getByTestId('team-url').innerText(), portal.url)
    await page.getByTestId(`admin-state-${ADMIN}`).getByText('Active').waitFor()
    await axe(page, 'settings (light)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(600) // Naive UI animates the theme's colours
    await axe(page, 'settings (dark)')
    await shot(page, 'settings-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.waitForTimeout(600)
    await shot(page, 'settings.png')
    await page.getByTestId('settings-backup').scrollIntoViewIfNeeded()
    await shot(page, 'settings-lower.png')
  })

  it('changes the company and the logo: the header follows at once; removes the logo', async () => {
    await page.getByLabel('Company name').fill(COMPANY)
    await page.getByRole('button', { name: 'Save the company name' }).click()
    await page.getByTestId('company').getByText(COMPANY, { exact: true }).waitFor()

    // refused before sending, in words: 5000 × 10 pixels
    const big = join(portal.dir, 'wide.png')
    writeFileSync(big, png(5000, 10))
    let [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose a logo…' }).click()])
    await chooser.setFiles(big)
    await page.getByText('The logo must be at most 4096 × 4096 pixels; this image is 5000 × 10.').waitFor()

    const logo = join(portal.dir, 'logo.png')
    writeFileSync(logo, png(64, 64))
    ;[chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose a logo…' }).click()])
    await chooser.setFiles(logo)
    await page.getByRole('img', { name: `${COMPANY} logo` }).waitFor()
    await page.getByRole('img', { name: 'Logo preview' }).waitFor()
    await shot(page, 'settings-logo.png')

    await page.getByRole('button', { name: 'Remove the logo' }).click()
    await page.getByRole('button', { name: 'Choose a logo…' }).waitFor()
    assert.equal(await page.getByRole('img', { name: `${COMPANY} logo` }).count(), 0)
    // keep a logo for the backup
    ;[chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose a logo…' }).click()])
    await chooser.setFiles(logo)
    await page.getByRole('img', { name: `${COMPANY} logo` }).waitFor()
  })

  it('adds an administrator, who signs in; alice removes them; the last admin cannot go', async () => {
    const admins = page.getByTestId('settings-admins')
    await page.getByLabel("New administrator's name").fill('bob')
    await page.getByLabel('Their password', { exact: true }).fill('bobs password')
    await page.getByLabel('Their password again').fill('bobs passwort')
    await page.getByLabel('Your own password').fill(password)
    await page.getByRole('button', { name: 'Add the administrator' }).click()
    await admins.getByText('The two new passwords differ.').waitFor()
    await page.getByLabel('Their password again').fill('bobs password')
    await page.getByLabel('Your own password').fill(password)
    await page.getByRole('button', { name: 'Add the administrator' }).click()
    await admins.locator('tr[data-admin="bob"]').waitFor()

    await signOut(page)
    await signIn(page, { admin: 'bob', password: 'bobs password' })
    assert.match(await page.getByTestId('signed-in-as').innerText(), /bob/)
    await signOut(page)
    await signIn(page, { admin: ADMIN, password })
    await openSettings(page)

    await admins.getByRole('button', { name: 'Remove bob' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Remove the administrator bob?' })
    await dialog.waitFor()
    await axe(page, 'remove admin dialog')
    await dialog.getByRole('button', { name: 'Remove' }).click()
    await dialog.waitFor({ state: 'detached' })
    assert.equal(await admins.locator('tr[data-admin="bob"]').count(), 0)

    await admins.getByRole('button', { name: `Remove ${ADMIN}` }).click()
    await page.getByTestId('last-admin').getByText('is the only administrator').waitFor()
  })

  it('downloads a backup named portal-backup-YYYYMMDD-HHMM.db', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Back up now…' }).click()])
    assert.match(download.suggestedFilename(), /^portal-backup-\d{8}-\d{4}\.db$/)
    backupFile = join(portal.dir, download.suggestedFilename())
    await download.saveAs(backupFile)
  })

  it('changes the own password (a mismatch caught first); signs in with the new one', async () => {
    const card = page.getByTestId('settings-password')
    await page.getByLabel('Current password').fill(password)
    await page.getByLabel('New password', { exact: true }).fill('a brand new password')
    await page.getByLabel('New password again').fill('a brand new passwort')
    await page.getByRole('button', { name: 'Change my password' }).click()
    await card.getByText('The two new passwords differ.').waitFor()
    await page.getByLabel('Current password').fill(password)
    await page.getByLabel('New password again').fill('a brand new password')
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.getByTestId('password-changed').waitFor()
    password = 'a brand new password'
    await signOut(page)
    await page.getByLabel(/^Administrator/).fill(ADMIN)
    await page.getByLabel(/^Password/).fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByTestId('problem').getByText('Wrong password.').waitFor()
    await signIn(page, { admin: ADMIN, password })
  })

  it('restores the backup on a fresh server: sign-in again, then the same licenses and branding', async () => {
    const fresh = await startPortal()
    // a browser of its own: cookies are per host, not per port
    const browser2 = await launchBrowser()
    const page2 = await browser2.context.newPage()
    page2.setDefaultTimeout(TIMEOUT)
    const seen2 = await watch(page2)
    try {
      await open(page2, fresh.url, '/settings')
      await page2.getByTestId('setup').waitFor()
      await page2.locator('#setup-reseller').fill('Fresh Portal')
      await page2.locator('#setup-admin').fill('zed')
      await page2.locator('#setup-password').fill('zeds password')
      await page2.locator('#setup-confirm').fill('zeds password')
      await page2.getByTestId('setup-submit').click()
      await page2.getByRole('heading', { name: 'Settings', level: 2 }).waitFor()

      const [chooser] = await Promise.all([page2.waitForEvent('filechooser'), page2.getByRole('button', { name: 'Restore from a backup…' }).click()])
      await chooser.setFiles(backupFile)
      const dialog = page2.getByRole('alertdialog', { name: /^Restore portal-backup-/ })
      await dialog.getByText('Every session ends').waitFor()
      await axe(page2, 'restore dialog')
      await dialog.getByRole('button', { name: 'Restore and sign everyone out' }).click()
      await page2.getByTestId('signin').waitFor()
      await page2.getByTestId('problem').getByText('The backup was restored').waitFor()
      await shot(page2, 'settings-restored.png')

      await signIn(page2, { admin: ADMIN, password: PASSWORD }) // the backup's accounts
      await page2.getByTestId('company').getByText(COMPANY, { exact: true }).waitFor()
      await page2.getByRole('img', { name: `${COMPANY} logo` }).waitFor()
      const key = portal.seeded.bundles[0].licenses[0].key
      await open(page2, fresh.url, `/licenses/${key}`)
      await page2.getByRole('heading', { name: `License ${key}` }).waitFor()
      await page2.getByTestId('license-terms').getByText('cad-pro').waitFor()
      assert.deepEqual(seen2, { violations: [], errors: [] })
    } finally {
      await browser2.close()
      await fresh.stop()
    }
  })

  it('serves the custom domain by name after a restart; a name not configured is refused', async () => {
    await openSettings(page)
    await page.getByLabel('Custom domain').fill('not a domain')
    await page.getByRole('button', { name: 'Save the domain' }).click()
    await page.getByTestId('settings-domain').getByText('Type a host name such as portal.example.com').waitFor()
    await page.getByLabel('Custom domain').fill(DOMAIN)
    await page.getByRole('button', { name: 'Save the domain' }).click()
    await page.getByTestId('domain-restart').getByText(`restart rpctl portal serve so that it answers for ${DOMAIN}`).waitFor()

    await portal.restart() // serve reads the domain at start
    const port = new URL(portal.url).port
    const named = await launchBrowser({ args: [`--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1, MAP other.example.test 127.0.0.1`] })
    try {
      const p = await named.context.newPage()
      p.setDefaultTimeout(TIMEOUT)
      const seenNamed = await watch(p)
      await open(p, `http://${DOMAIN}:${port}`, '/settings')
      await signIn(p, { admin: ADMIN, password })
      const status = p.getByTestId('domain-status')
      await status.getByTestId('domain-serving').getByText('without TLS').waitFor()
      assert.equal(await status.getAttribute('data-state'), 'serving')
      assert.equal(await p.getByTestId('team-url').innerText(), `http://${DOMAIN}:${port}`)
      await axe(p, 'settings on the custom domain')
      await shot(p, 'settings-domain.png')
      // Plain HTTP on a name that is not localhost is not a trustworthy
      // origin: Chromium ignores the COOP header and says so on the console
      // (a reason to serve a team over TLS); nothing else may appear.
      const coop = /^The Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/
      assert.deepEqual({ ...seenNamed, errors: seenNamed.errors.filter((e) => !coop.test(e)) }, { violations: [], errors: [] })

      // the same server by a name it was not configured for (the browser
      // resolves it to 127.0.0.1 too): refused, page and API alike
      const other = await named.context.newPage()
      const res = await other.goto(`http://other.example.test:${port}/`)
      assert.equal(res.status(), 421)
      const api = await other.evaluate(async () => {
        const r = await fetch('/api/call/status', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
        return { status: r.status, code: (await r.json()).code }
      })
      assert.deepEqual(api, { status: 421, code: 'host_not_allowed' })
    } finally {
      await named.close()
    }
  })

  it('had no console errors or CSP violations', () => {
    assert.deepEqual(seen, { violations: [], errors: [] })
  })
})
