// The licenses screens end to end against a seeded portal: bundle import
// through the file chooser, search / filters / paging in the URL, a license's
// detail, assign through the customer picker, revoke with a confirmation,
// a hostile customer name shown as text, axe and screenshots.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startPortal } from './harness.mjs'
import { allocate, rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const EVIL = '<img src=x onerror=alert(1)>'

// licensesPage: the list screen as a person uses it.
function licensesPage(page) {
  const table = page.getByRole('table', { name: 'Licenses' })
  return {
    table,
    rows: () => table.locator('tbody tr'),
    async settled() {
      await page.locator('table[aria-busy="false"]').or(page.getByTestId('licenses-empty')).first().waitFor()
    },
    async search(text) {
      await page.getByLabel('Search', { exact: true }).fill(text)
    },
    async choose(label, value) {
      await page.getByLabel(label, { exact: true }).selectOption(value)
    },
    query: () => new URLSearchParams(page.url().split('?')[1] ?? ''),
    // waitQuery waits for the URL to carry name=value (null: not at all).
    async waitQuery(name, value) {
      await page.waitForFunction(
        ([n, v]) => new URLSearchParams(location.hash.split('?')[1] ?? '').get(n) === v,
        [name, value],
        { timeout: TIMEOUT },
      )
    },
    async rowCount(n) {
      await page.waitForFunction(
        (n) => {
          const t = [...document.querySelectorAll('table')].find((t) => t.getAttribute('aria-label') === 'Licenses')
          return t && t.getAttribute('aria-busy') === 'false' && t.querySelectorAll('tbody tr').length === n
        },
        n,
        { timeout: TIMEOUT },
      )
    },
  }
}

describe('licenses in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let lp
  let seeded

  before(async () => {
    portal = await startPortal({
      seed: async (ctx) => {
        const s = await seedEnrolled()(ctx)
        const portalCmd = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
        const evil = await portalCmd('user', 'create', '--name', EVIL, '--email', 'evil@example.com')
        const evilKey = s.bundles[0].licenses[29].key
        await portalCmd('license', 'assign', evilKey, '--user', evil.id)
        const fresh = await allocate(ctx.env, s.vdir, ctx.dir, { product: 'viewer', count: 5, name: 'new-bundle.txt' })
        return { ...s, evil, evilKey, fresh }
      },
    })
    seeded = portal.seeded
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
    lp = licensesPage(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('opens the first page of licenses after signing in on the deep link', async () => {
    await open(page, portal.url, '/licenses')
    await signIn(page)
    await page.getByRole('heading', { name: 'Licenses', level: 2 }).waitFor()
    await lp.rowCount(25)
    assert.equal((await page.getByTestId('page-number').innerText()).trim(), 'Page 1')
    assert.ok(await page.getByRole('button', { name: 'Next' }).isEnabled())
    assert.ok(await page.getByRole('button', { name: 'Previous' }).isDisabled())
  })

  it('shows a hostile customer name as text', async () => {
    await lp.search('evil@')
    await lp.rowCount(1)
    const link = lp.table.getByRole('link', { name: EVIL })
    assert.equal(await link.innerText(), EVIL)
    assert.equal(await link.getAttribute('href'), `#/customers/${seeded.evil.id}`)
    assert.equal(await page.locator('img[src="x"]').count(), 0)
    await lp.waitQuery('q', 'evil@')
  })

  it('says when nothing matches and clears the filters', async () => {
    await lp.search('zzzz-nothing')
    await page.getByText('No license matches these filters.').waitFor()
    await page.getByRole('button', { name: 'Clear the filters' }).click()
    await lp.rowCount(25)
    assert.equal(lp.query().get('q'), null)
    assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), '')
  })

  it('checks the list with axe and takes its picture', async () => {
    await axe(page, 'licenses')
    await shot(page, 'licenses.png')
  })

  it('filters by status and product, in the URL, and keeps them on reload', async () => {
    await lp.choose('Status', 'available')
    await lp.rowCount(25)
    assert.equal(lp.query().get('status'), 'available')
    await lp.choose('Product', 'viewer')
    await lp.rowCount(12)
    assert.equal(lp.query().get('product'), 'viewer')
    const products = await lp.table.locator('tbody tr td:nth-child(2)').allInnerTexts()
    assert.deepEqual([...new Set(products.map((s) => s.trim()))], ['viewer'])
    await page.reload()
    await lp.rowCount(12)
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'available')
    assert.equal(await page.getByLabel('Product', { exact: true }).inputValue(), 'viewer')
    await page.goBack()
    await lp.rowCount(25)
    assert.equal(lp.query().get('product'), null)
  })

  it('pages with Previous and Next and a page size', async () => {
    await open(page, portal.url, '/licenses')
    await lp.rowCount(25)
    await page.getByRole('button', { name: 'Next' }).click()
    await lp.rowCount(17) // 42 seeded
    assert.equal(lp.query().get('page'), '2')
    assert.equal((await page.getByTestId('page-number').innerText()).trim(), 'Page 2')
    assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled())
    await lp.choose('Rows per page', '50')
    await lp.rowCount(42)
    assert.equal(lp.query().get('page'), null, 'a new page size starts on page 1')
    assert.equal(lp.query().get('size'), '50')
    await lp.choose('Sort by', 'expires')
    await lp.rowCount(42)
    assert.equal(lp.query().get('sort'), 'expires')
  })

  it('opens a deep link with filters', async () => {
    await open(page, portal.url, '/licenses?status=available&product=cad-pro&size=100')
    await page.reload()
    await lp.rowCount(29)
    assert.equal(await page.getByLabel('Product', { exact: true }).inputValue(), 'cad-pro')
    await open(page, portal.url, '/licenses?status=bogus&page=x')
    await lp.rowCount(25)
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), '')
  })

  it('imports a bundle through the file chooser, then says it is already imported', async () => {
    await open(page, portal.url, '/licenses')
    await lp.rowCount(25)
    for (const expected of [/^Imported 5 licenses from bundle /, /already imported — nothing changed/]) {
      const chooser = page.waitForEvent('filechooser')
      await page.getByRole('button', { name: 'Open file…' }).click()
      await (await chooser).setFiles(seeded.fresh.file)
      const summary = page.getByTestId('import-summary')
      await page.waitForFunction(
        (re) => new RegExp(re).test(document.querySelector('[data-testid="import-summary"]')?.textContent?.trim() ?? ''),
        expected.source,
      )
      assert.match((await summary.innerText()).trim(), expected)
      await page.getByText('Verifying signatures and importing').waitFor()
    }
    await lp.choose('Product', 'viewer')
    await lp.rowCount(17)
  })

  it('explains a refused bundle in words', async () => {
    await page.getByRole('button', { name: 'Paste text' }).click()
    await page.getByLabel('Pasted the allocation bundle').fill('-----BEGIN RESELLER PORTAL BUNDLE-----\nnot a bundle\n-----END RESELLER PORTAL BUNDLE-----')
    await page.getByRole('button', { name: 'Use the pasted text' }).click()
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    const code = await problem.getAttribute('data-code')
    assert.notEqual(code, 'internal')
    assert.ok((await problem.innerText()).trim().length > 5)
  })

  it('shows a license: terms, assignee, activations, history', async () => {
    const key = seeded.bundles[0].licenses[0].key
    await open(page, portal.url, '/licenses?q=' + encodeURIComponent(key))
    await lp.rowCount(1)
    await lp.table.getByRole('link', { name: key }).click()
    await page.getByRole('heading', { name: `License ${key}` }).waitFor()
    assert.equal(page.url().split('#')[1], `/licenses/${key}`)
    const terms = page.getByTestId('license-terms')
    await terms.getByText('cad-pro').waitFor()
    await terms.getByText('0 of 2').waitFor()
    await page.getByText('Not assigned to a customer.').waitFor()
    await page.getByText('No machine has been activated with this license yet.').waitFor()
    await page.getByRole('heading', { name: 'History' }).waitFor()
    await axe(page, 'license detail')
    await shot(page, 'license.png')
  })

  it('assigns the license to Carol through the customer picker', async () => {
    await page.getByRole('button', { name: 'Assign…' }).click()
    const dlg = page.getByRole('dialog')
    await dlg.waitFor()
    await dlg.getByLabel('Customer').first().fill('Car')
    await page.getByText('Carol Jones', { exact: true }).first().click()
    await dlg.getByRole('button', { name: 'Assign', exact: true }).click()
    await page.getByTestId('license-assignee').getByRole('link', { name: 'Carol Jones' }).waitFor()
    await page.getByRole('table', { name: 'History' }).getByRole('link', { name: 'Carol Jones' }).first().waitFor()
    await shot(page, 'license-assigned.png')
  })

  it('revokes it after a confirmation', async () => {
    await page.getByRole('button', { name: 'Revoke' }).click()
    const dlg = page.getByRole('dialog')
    await dlg.getByText(/Carol Jones will no longer hold this license/).waitFor()
    await dlg.getByRole('button', { name: 'Revoke' }).click()
    await page.getByText('Not assigned to a customer.').waitFor()
  })

  it('shows an unknown key as not found, with a way back', async () => {
    const before = seen.errors.length
    await open(page, portal.url, '/licenses/RP-NOPE-NOPE')
    await page.getByText('There is no license RP-NOPE-NOPE.').waitFor()
    // serve answers license_not_found with HTTP 404, which Chromium logs.
    const extra = seen.errors.splice(before)
    assert.ok(extra.every((e) => /status of 404/.test(e)), extra.join('\n'))
    await page.getByTestId('license-not-found').getByRole('link', { name: 'All licenses' }).click()
    await lp.rowCount(25)
  })

  it('reads well in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await lp.rowCount(25)
    await page.waitForTimeout(600) // Naive UI animates the theme's colours
    await axe(page, 'licenses (dark)')
    await shot(page, 'licenses-dark.png')
    await lp.table.locator('tbody tr').first().getByRole('link').first().click()
    await page.getByTestId('license-terms').waitFor()
    await page.waitForTimeout(600)
    await axe(page, 'license detail (dark)')
    await shot(page, 'license-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('had no console errors, dialogs or CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
