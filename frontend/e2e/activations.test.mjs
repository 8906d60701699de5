// The activations screen end to end against a seeded portal whose machines
// were activated with the real customer side (`rpctl client request` →
// `rpctl portal activate`, one `client install` + `client deactivate` →
// `portal deactivate`): newest first, filters in the URL (reload, back,
// deep link), row links, CSV download, the signed report verified by the
// publisher tool, empty states in words, axe in both themes, screenshots.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

// seedActivations: licenses assigned to Carol, Bob and the organization;
// four machines activated in order m1 (Carol, L0), m2 (Bob, L1), m3 (Carol,
// L0), m4 (Globex, L2); m1 then deactivated by its customer.
async function seedActivations(ctx) {
  const s = await seedEnrolled()(ctx)
  const { env, db, dir } = ctx
  const portal = (...a) => rpctl(env, ['portal', '--db', db, ...a])
  const keys = s.bundles[0].licenses.slice(0, 4).map((l) => l.key)
  await portal('license', 'assign', keys[0], '--user', s.carol.id)
  await portal('license', 'assign', keys[1], '--user', s.bob.id)
  await portal('license', 'assign', keys[2], '--org', s.org.id)
  await portal('license', 'assign', keys[3], '--user', s.bob.id) // assigned, never activated
  const machines = [
    ['m1', keys[0]],
    ['m2', keys[1]],
    ['m3', keys[0]],
    ['m4', keys[2]],
  ]
  for (const [m, key] of machines) {
    const state = join(dir, `client-${m}`)
    const req = join(dir, `${m}.request.txt`)
    const resp = join(dir, `${m}.response.txt`)
    await rpctl(env, ['client', 'request', '--state', state, '--product', 'cad-pro', '--license', key, '--out', req, '--machine-id', m], { json: false })
    await rpctl(env, ['portal', '--db', db, 'activate', '--in', req, '--out', resp], { json: false })
  }
  const m1 = join(dir, 'client-m1')
  await rpctl(env, ['client', 'install', '--state', m1, '--publisher-key', join(s.vdir, 'publisher.pub'), '--in', join(dir, 'm1.response.txt')], { json: false })
  const dreq = join(dir, 'm1.deactivate.txt')
  await rpctl(env, ['client', 'deactivate', '--state', m1, '--out', dreq], { json: false })
  await rpctl(env, ['portal', '--db', db, 'deactivate', '--in', dreq], { json: false })
  return { ...s, keys }
}

// activationsPage: the list screen as a person uses it.
function activationsPage(page) {
  const table = page.getByRole('table', { name: 'Activations' })
  return {
    table,
    query: () => new URLSearchParams(page.url().split('?')[1] ?? ''),
    async waitQuery(name, value) {
      await page.waitForFunction(
        ([n, v]) => new URLSearchParams(location.hash.split('?')[1] ?? '').get(n) === v,
        [name, value],
        { timeout: TIMEOUT },
      )
    },
    async choose(label, value) {
      await page.getByLabel(label, { exact: true }).selectOption(value)
    },
    async typeLicense(key) {
      await page.getByLabel('License', { exact: true }).fill(key)
    },
    async rowCount(n) {
      await page.waitForFunction(
        (n) => {
          const t = [...document.querySelectorAll('table')].find((t) => t.getAttribute('aria-label') === 'Activations')
          return t && t.getAttribute('aria-busy') === 'false' && t.querySelectorAll('tbody tr').length === n
        },
        n,
        { timeout: TIMEOUT },
      )
    },
    // column: the text of one column, top to bottom (1-based).
    async column(n) {
      return (await table.locator(`tbody tr td:nth-child(${n})`).allInnerTexts()).map((s) => s.trim())
    },
    async empty(text) {
      await page.getByTestId('activations-empty').getByText(text).waitFor()
    },
  }
}

describe('activations in the browser', () => {
  let portal
  let browser
  let page
  let seen
  let ap
  let seeded

  before(async () => {
    portal = await startPortal({ seed: seedActivations })
    seeded = portal.seeded
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
    ap = activationsPage(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('lists the activations newest first after signing in on the deep link', async () => {
    await open(page, portal.url, '/activations')
    await signIn(page)
    await page.getByRole('heading', { name: 'Activations', level: 2 }).waitFor()
    await ap.rowCount(4)
    const [k0, k1, k2] = seeded.keys
    assert.deepEqual(await ap.column(2), [k2, k0, k1, k0])
    assert.deepEqual(await ap.column(3), ['Globex Corporation', 'Carol Jones', 'Bob Builder', 'Carol Jones'])
    assert.deepEqual(await ap.column(8), ['Active', 'Active', 'Active', 'Deactivated'])
    const deactivated = await ap.column(9)
    assert.equal(deactivated[0], '—')
    assert.notEqual(deactivated[3], '—')
    assert.deepEqual(await ap.column(10), ['alice', 'alice', 'alice', 'alice'])
    // the fingerprint shortened, in full on hover and for screen readers
    const code = ap.table.locator('tbody tr').first().locator('code')
    const full = await code.getAttribute('title')
    assert.ok(full.length > 16 && (await code.innerText()).includes('…'))
    await ap.table.locator('tbody tr').first().getByText(`Machine fingerprint ${full}`).waitFor({ state: 'attached' })
    assert.equal((await page.getByTestId('page-number').innerText()).trim(), 'Page 1')
    assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled())
  })

  it('checks the list with axe and takes its picture', async () => {
    await axe(page, 'activations')
    await shot(page, 'activations.png')
  })

  it('filters by status in the URL, keeps it on reload and goes back', async () => {
    await ap.choose('Status', 'deactivated')
    await ap.rowCount(1)
    assert.equal(ap.query().get('status'), 'deactivated')
    assert.deepEqual(await ap.column(8), ['Deactivated'])
    await page.reload()
    await ap.rowCount(1)
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'deactivated')
    await page.goBack()
    await ap.rowCount(4)
    assert.equal(ap.query().get('status'), null)
  })

  it('opens a deep link with a filter, and ignores bad values', async () => {
    await open(page, portal.url, '/activations?status=deactivated')
    await page.reload()
    await ap.rowCount(1)
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'deactivated')
    await open(page, portal.url, '/activations?status=bogus&page=x&customer=zz')
    await ap.rowCount(4)
    assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), '')
  })

  it('filters by license key as typed (any case), and says when the key names no license', async () => {
    const [k0, k1, , k3] = seeded.keys
    await ap.typeLicense(k1.toLowerCase())
    await ap.waitQuery('license', k1)
    await ap.rowCount(1)
    assert.deepEqual(await ap.column(3), ['Bob Builder'])
    await ap.typeLicense(k0)
    await ap.waitQuery('license', k0)
    await ap.rowCount(2)
    await page.reload()
    await ap.rowCount(2)
    assert.equal(await page.getByLabel('License', { exact: true }).inputValue(), k0)
    await ap.typeLicense(k3)
    await ap.empty('No activation matches these filters.')
    await ap.typeLicense('RP-NOPE-NOPE')
    await ap.empty('There is no license RP-NOPE-NOPE.')
    await shot(page, 'activations-unknown-license.png')
    await page.getByRole('button', { name: 'Clear the filters' }).click()
    await ap.rowCount(4)
    assert.equal(ap.query().get('license'), null)
    assert.equal(await page.getByLabel('License', { exact: true }).inputValue(), '')
  })

  it('filters by customer through the customer picker', async () => {
    await page.getByLabel('Customer').first().fill('Car')
    await page.getByRole('option', { name: /^Carol Jones/ }).click()
    await ap.waitQuery('customer', seeded.carol.id)
    await ap.rowCount(2)
    assert.deepEqual(await ap.column(3), ['Carol Jones', 'Carol Jones'])
    await page.reload()
    await ap.rowCount(2)
    await open(page, portal.url, `/activations?customer=${seeded.org.id}`)
    await ap.rowCount(1)
    assert.deepEqual(await ap.column(3), ['Globex Corporation'])
  })

  it('filters by date range', async () => {
    const today = new Date()
    const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1)
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1)
    await open(page, portal.url, '/activations')
    await ap.rowCount(4)
    await page.getByLabel('From', { exact: true }).fill(ymd(today))
    await ap.waitQuery('from', ymd(today))
    await ap.rowCount(4)
    await page.getByLabel('From', { exact: true }).fill(ymd(tomorrow))
    await ap.waitQuery('from', ymd(tomorrow))
    await ap.empty('No activation matches these filters.')
    await open(page, portal.url, `/activations?to=${ymd(yesterday)}`)
    await ap.empty('No activation matches these filters.')
    await open(page, portal.url, `/activations?from=${ymd(yesterday)}&to=${ymd(today)}`)
    await ap.rowCount(4)
  })

  it('links each row to its license and its customer', async () => {
    await open(page, portal.url, '/activations')
    await ap.rowCount(4)
    const [, , k2] = seeded.keys
    const row = ap.table.locator('tbody tr').first()
    await row.getByRole('link', { name: k2 }).click()
    await page.getByRole('heading', { name: `License ${k2}` }).waitFor()
    assert.equal(page.url().split('#')[1], `/licenses/${k2}`)
    await page.goBack()
    await ap.rowCount(4)
    await ap.table.locator('tbody tr').first().getByRole('link', { name: 'Globex Corporation' }).click()
    await page.waitForFunction((id) => location.hash === `#/customers/${id}`, seeded.org.id)
    await page.goBack()
    await ap.rowCount(4)
  })

  it('comes back from a license and a customer to their activations', async () => {
    const [k0] = seeded.keys
    await open(page, portal.url, `/licenses/${k0}`)
    await page.getByRole('link', { name: 'All activations of this license' }).click()
    await ap.waitQuery('license', k0)
    await ap.rowCount(2)
    await open(page, portal.url, `/customers/${seeded.bob.id}`)
    await page.getByRole('link', { name: 'All activations of this customer' }).click()
    await ap.waitQuery('customer', seeded.bob.id)
    await ap.rowCount(1)
    assert.deepEqual(await ap.column(3), ['Bob Builder'])
    await open(page, portal.url, '/activations')
    await ap.rowCount(4)
  })

  it('downloads the activations as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV…' }).click()])
    assert.equal(download.suggestedFilename(), 'activations.csv')
    const file = join(portal.dir, 'activations.csv')
    await download.saveAs(file)
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/)
    assert.match(lines[0], /^id,license,product,status,machine,hostname/)
    assert.equal(lines.length, 5)
    for (const key of seeded.keys.slice(0, 3)) assert.ok(lines.some((l) => l.includes(key)), key)
    assert.equal(lines.filter((l) => l.includes(',deactivated,')).length, 1)
  })

  it('makes the signed activation report, which the publisher tool verifies', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Create the activation report…' }).click()])
    assert.equal(download.suggestedFilename(), 'activation-report-1.txt')
    const file = join(portal.dir, 'activation-report-1.txt')
    await download.saveAs(file)
    await page.getByTestId('report-result').getByText('Report 1 holds 5 activation and deactivation events.').waitFor()
    const summary = await rpctl(portal.env, ['vendor', 'report', 'verify', '--dir', seeded.vdir, '--in', file])
    assert.equal(summary.number, 1)
    assert.equal(summary.activations, 4)
    assert.equal(summary.deactivations, 1)
    assert.equal(summary.reseller_name, 'Acme Resellers')
    await shot(page, 'activations-report.png')
  })

  it('says in words when a report right after has nothing to report', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Create the activation report…' }).click()])
    assert.equal(download.suggestedFilename(), 'activation-report-2.txt')
    await page.getByTestId('report-result').getByText(/^Nothing new to report: no activation or deactivation since the last report\./).waitFor()
    const file = join(portal.dir, 'activation-report-2.txt')
    await download.saveAs(file)
    const summary = await rpctl(portal.env, ['vendor', 'report', 'verify', '--dir', seeded.vdir, '--in', file])
    assert.equal(summary.number, 2)
    assert.equal(summary.missing, 0)
    assert.equal(summary.activations + summary.deactivations, 0)
  })

  it('reads well in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await ap.rowCount(4)
    await page.waitForTimeout(600) // Naive UI animates the theme's colours
    await axe(page, 'activations (dark)')
    await shot(page, 'activations-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('had no console errors, dialogs or CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})

describe('activations on a portal with none yet', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal({ seed: seedEnrolled({ customers: false }) })
    browser = await launchBrowser()
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('says there is no activation yet and leads to the Activate screen', async () => {
    await open(page, portal.url, '/activations')
    await signIn(page)
    const empty = page.getByTestId('activations-empty')
    await empty.getByText(/No activation yet — activate a customer machine on the/).waitFor()
    await axe(page, 'activations (none yet)')
    await shot(page, 'activations-none.png')
    await empty.getByRole('link', { name: 'Activate' }).click()
    await page.waitForFunction(() => location.hash === '#/activate')
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
