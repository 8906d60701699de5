// The audit log end to end against a portal seeded through the real rpctl
// (set up, enrolled, two bundles imported, an organization and two users:
// seven entries): newest first, the action and administrator filters in the
// URL (reload keeps them), an entry's details, "Verify chain" intact; then
// the database file is tampered with while serve is stopped (one entry's
// detail edited without fixing its hash: build/scripts/tamper-audit), and
// Verify names that entry in words and leads to it. axe in both themes, no
// console errors or CSP violations, screenshots.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { launchBrowser, startPortal } from './harness.mjs'
import { seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')

// The seven entries seedEnrolled() leaves, newest first.
const SEEDED = ['User created', 'User created', 'Organization created', 'Licenses imported', 'Licenses imported', 'Enrollment completed', 'Portal set up']

function auditPage(page) {
  const table = page.getByRole('table', { name: 'Audit entries' })
  return {
    table,
    query: () => new URLSearchParams(page.url().split('?')[1] ?? ''),
    async rowCount(n) {
      await page.waitForFunction(
        (n) => {
          const t = [...document.querySelectorAll('table')].find((t) => t.getAttribute('aria-label') === 'Audit entries')
          return t && t.getAttribute('aria-busy') === 'false' && t.querySelectorAll('tbody tr[data-seq]').length === n
        },
        n,
        { timeout: TIMEOUT },
      )
    },
    // column: the text of one column of the entry rows (1-based).
    async column(n) {
      return (await table.locator(`tbody tr[data-seq] td:nth-child(${n})`).allInnerTexts()).map((s) => s.trim())
    },
    row: (seq) => table.locator(`tbody tr[data-seq="${seq}"]`),
  }
}

describe('audit log in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let ap

  before(async () => {
    portal = await startPortal({ seed: seedEnrolled() })
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
    ap = auditPage(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('lists the entries newest first after signing in on the deep link', async () => {
    await open(page, portal.url, '/audit')
    await signIn(page)
    await page.getByRole('heading', { name: 'Audit log', level: 2 }).waitFor()
    await ap.rowCount(7)
    assert.deepEqual(await ap.column(1), ['7', '6', '5', '4', '3', '2', '1'])
    assert.deepEqual(await ap.column(4), SEEDED)
    assert.deepEqual(await ap.column(3), Array(7).fill('alice'))
    assert.equal((await page.getByTestId('audit-range').innerText()).trim(), 'Entries 7 to 1')
    assert.ok(await page.getByRole('button', { name: 'Older entries' }).isDisabled())
    assert.ok(await page.getByRole('button', { name: 'Newest entries' }).isDisabled())
  })

  it('checks the list with axe and takes its picture', async () => {
    await axe(page, 'audit')
    await shot(page, 'audit.png')
  })

  it('filters by action and administrator in the URL and keeps them on reload', async () => {
    await page.getByLabel('Action', { exact: true }).selectOption('license.import')
    await ap.rowCount(2)
    assert.equal(ap.query().get('action'), 'license.import')
    assert.deepEqual(await ap.column(1), ['4', '3'])
    await page.reload()
    await ap.rowCount(2)
    assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'license.import')
    assert.deepEqual(await ap.column(4), ['Licenses imported', 'Licenses imported'])
    // the administrators come from admins.list
    await page.getByLabel('Administrator', { exact: true }).selectOption('alice')
    await ap.rowCount(2)
    assert.equal(ap.query().get('actor'), 'alice')
    // an action nobody did: said in words, with a way out
    await page.getByLabel('Action', { exact: true }).selectOption('org.delete')
    await page.getByTestId('audit-empty').getByText('No entry matches these filters.').waitFor()
    await axe(page, 'audit (no match)')
    await page.getByTestId('audit-empty').getByRole('button', { name: 'Clear the filters' }).click()
    await ap.rowCount(7)
    assert.equal(ap.query().toString(), '')
  })

  it('opens an entry to show its detail, previous hash and hash', async () => {
    const row = ap.row(6)
    const toggle = row.getByRole('button', { name: /Details/ })
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
    await toggle.click()
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
    const details = page.locator('#audit-entry-6')
    await details.waitFor()
    const text = await details.innerText()
    assert.match(text, /Bob Builder <bob@globex\.example>/)
    assert.match(text, /user\.create/)
    assert.match(text, /Previous hash\s+[0-9a-f]{64}/)
    assert.match(text, /Hash\s+[0-9a-f]{64}/)
    await axe(page, 'audit (entry open)')
    await toggle.click()
    await details.waitFor({ state: 'detached' })
  })

  it('verifies the chain: entries checked and the head hash', async () => {
    await page.getByRole('button', { name: 'Verify chain' }).click()
    const status = page.getByRole('status').filter({ hasText: 'The chain is intact' })
    await status.waitFor()
    const text = await status.innerText()
    assert.match(text, /The chain is intact: 7 entries checked\./)
    assert.match(text, /Head hash: [0-9a-f]{64}/)
    await shot(page, 'audit-verified.png')
  })

  it('names the first broken entry after the database was tampered with', async () => {
    await portal.restart(async ({ db }) => {
      await run('go', ['run', './build/scripts/tamper-audit', db, '3', '5 licenses (edited)'], { cwd: ROOT, env: { ...process.env, CGO_ENABLED: '0' } })
    })
    await page.reload()
    await signIn(page)
    await ap.rowCount(7)
    // the edited entry still reads (its JSON is valid): only the hash knows
    await ap.row(3).getByText('5 licenses (edited)').waitFor()
    await page.getByRole('button', { name: 'Verify chain' }).click()
    const result = page.getByTestId('audit-verify-result')
    await result.getByText('The chain is broken at entry 3.').waitFor()
    assert.equal(await result.getAttribute('role'), 'status')
    const text = await result.innerText()
    assert.match(text, /The entry was changed after it was written\./)
    assert.match(text, /Detail: audit log hash chain is broken: entry 3 was altered/)
    assert.ok(await ap.row(3).evaluate((r) => r.classList.contains('broken')))
    await result.getByRole('button', { name: 'Show entry 3' }).click()
    await page.locator('#audit-entry-3').getByText('5 licenses (edited)').waitFor()
    const focused = await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-seq'))
    assert.equal(focused, '3')
    await axe(page, 'audit (broken)')
    await shot(page, 'audit-broken.png')
  })

  it('reads well in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByTestId('audit-verify-result').getByText('The chain is broken at entry 3.').waitFor()
    await page.waitForTimeout(600) // Naive UI animates the theme's colours
    await axe(page, 'audit (dark)')
    await shot(page, 'audit-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('saw no console errors and no CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
