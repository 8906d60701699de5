// An organization manager in the customer portal, against serve mode: Bob
// (a user of Globex) sees only his own licenses until the admin makes him
// the organization's manager on his customer page; then he also sees the
// organization's license and sends an activation request for it. Once the
// admin takes the flag away, the license is "no such license" to him again
// (URL and API), and approving his waiting request is refused in words: the
// license is no longer his. axe, console and CSP clean.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, signIn, watch } from './pages.mjs'

const BOB_PASSWORD = 'bob manages 2026'

// Bob has two licenses, Carol one, Bob's organization one.
async function seedOrg(ctx) {
  const s = await seedEnrolled()(ctx)
  const portal = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
  const keys = s.bundles[0].licenses.slice(0, 4).map((l) => l.key)
  await portal('license', 'assign', keys[0], '--user', s.bob.id)
  await portal('license', 'assign', keys[1], '--user', s.bob.id)
  await portal('license', 'assign', keys[2], '--user', s.carol.id)
  await portal('license', 'assign', keys[3], '--org', s.org.id)
  return { ...s, keys }
}

async function api(page, op, params = {}) {
  return page.evaluate(
    async ([op, params]) => {
      const res = await fetch(`/api/call/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) })
      return res.json()
    },
    [op, params],
  )
}

async function newPage(browser) {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage())
  page.setDefaultTimeout(TIMEOUT)
  return page
}

describe('organization manager', () => {
  let portal, adminBrowser, bobBrowser, admin, bob, adminSeen, bobSeen, keys, requestId

  before(async () => {
    portal = await startPortal({ seed: seedOrg })
    keys = portal.seeded.keys
    mkdirSync(join(portal.dir, 'clients'), { recursive: true })
    adminBrowser = await launchBrowser()
    admin = await newPage(adminBrowser)
    adminSeen = await watch(admin)
    await open(admin, portal.url, `/customers/${portal.seeded.bob.id}`)
    await signIn(admin)
    const inv = await api(admin, 'customers.invite', { user: portal.seeded.bob.id })
    assert.equal(inv.ok, true, JSON.stringify(inv))
    bobBrowser = await launchBrowser()
    bob = await newPage(bobBrowser)
    bobSeen = await watch(bob)
    await open(bob, portal.url, '/my/licenses')
    const red = await api(bob, 'customers.redeem', { code: inv.data.code, password: BOB_PASSWORD })
    assert.equal(red.ok, true, JSON.stringify(red))
  })

  after(async () => {
    await bobBrowser?.close()
    await adminBrowser?.close()
    await portal?.stop()
  })

  const myLicenses = async () => {
    await open(bob, portal.url, '/my/licenses')
    await bob.reload()
    const table = bob.getByTestId('my-licenses-table')
    await table.getByRole('link', { name: keys[0] }).waitFor()
    return table.innerText()
  }

  it('not a manager: Bob sees his two licenses only', async () => {
    const text = await myLicenses()
    assert.ok(text.includes(keys[1]))
    assert.ok(!text.includes(keys[3]), "the organization's license is not his")
    assert.ok(!text.includes(keys[2]), "nor Carol's")
  })

  it("the admin makes him the organization's manager on his customer page", async () => {
    await admin.reload() // the account was made through the API after the page loaded
    const panel = admin.getByTestId('customer-account')
    const sw = panel.getByRole('switch', { name: 'Organization manager' })
    await sw.waitFor()
    assert.equal(await sw.getAttribute('aria-checked'), 'false')
    await sw.click()
    await panel.getByRole('switch', { name: 'Organization manager', checked: true }).waitFor()
    await axe(admin, 'customer page, manager on')
  })

  it("as manager he sees the organization's license and sends a request for it", async () => {
    const text = await myLicenses()
    assert.ok(text.includes(keys[3]), "the organization's license is listed")
    assert.ok(!text.includes(keys[2]), "Carol's still is not")
    await bob.getByText('As the manager of Globex Corporation', { exact: false }).waitFor()
    await axe(bob, 'my licenses (manager)')

    const state = join(portal.dir, 'clients', 'globex-1')
    const req = join(portal.dir, 'clients', 'globex-1.req.txt')
    await rpctl(portal.env, ['client', '--state', state, 'request', '--product', 'cad-pro', '--license', keys[3], '--out', req, '--machine-id', 'globex-1'])
    await open(bob, portal.url, '/my/activate')
    const zone = bob.getByRole('group', { name: 'Drop zone for the activation request' })
    const [chooser] = await Promise.all([bob.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(req)
    await bob.getByTestId('my-preview').waitFor()
    assert.equal(await bob.getByTestId('my-preview-license').innerText(), keys[3])
    await bob.getByRole('button', { name: 'Send for approval' }).click()
    const link = bob.getByRole('link', { name: /^Open request R\d+$/ })
    requestId = (await link.innerText()).match(/R\d+/)[0]
    assert.equal(await bob.getByTestId('my-request-state').innerText(), 'Pending')
  })

  it('the flag taken away: the license is "no such license" again, and approving his request is refused in words', async () => {
    const panel = admin.getByTestId('customer-account')
    await panel.getByRole('switch', { name: 'Organization manager', checked: true }).click()
    await panel.getByRole('switch', { name: 'Organization manager', checked: false }).waitFor()

    const r = await api(bob, 'my.license', { key: keys[3] })
    assert.equal(r.code, 'license_not_found', JSON.stringify(r))
    await open(bob, portal.url, `/my/licenses/${keys[3]}`)
    await bob.reload() // a reload keeps the deep link (the router settles before any redirect)
    await bob.getByTestId('page-error').filter({ hasText: 'There is no such license' }).waitFor()
    assert.match(bob.url(), new RegExp(`#/my/licenses/${keys[3]}$`))

    await open(admin, portal.url, '/requests')
    await admin.getByRole('button', { name: `Approve ${requestId}`, exact: true }).click()
    await admin.getByText('The license no longer belongs to the customer who asked', { exact: false }).first().waitFor()
    await admin.getByRole('button', { name: `Approve ${requestId}`, exact: true }).waitFor() // still pending
    await axe(admin, 'requests: approval refused')
  })

  it('empty states read at WCAG contrast (a customer search with no hits)', async () => {
    await open(admin, portal.url, '/customers?q=zzzz-nobody')
    await admin.getByTestId('page-empty').waitFor()
    await axe(admin, 'customers: no hits (empty state)')
  })

  it('no console errors or CSP violations', () => {
    assert.deepEqual(adminSeen.violations, [])
    assert.deepEqual(bobSeen.violations, [])
    assert.deepEqual(adminSeen.errors, [])
    assert.deepEqual(bobSeen.errors, [])
  })
})
