// Customers' requests, the admin's side, against serve mode: Bob (invited,
// redeemed in his own browser) submits activation requests through the API
// (`my.activate` with requests made by `rpctl client request`); the admin
// sees the count in the navigation, approves one (Bob's my.request then has
// the response), rejects one with a reason (Bob reads it, as text), and an
// approval refused because the license was used up in between is said in
// words while the row stays. In settings: immediate customer signing,
// unlocked with the admin's password (a wrong one refused in words), locked,
// back to approval; while it is unlocked, a banner in the admin shell says
// so (its link opens the settings, its button locks). axe on the new
// screens; no console errors or CSP violations.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { PASSWORD, rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const BOB_PASSWORD = 'bob builds 42'
const REASON = 'Not <b>this</b> machine: it is reserved for the lab.'

// Bob holds six cad-pro licenses of one activation each.
async function seed(ctx) {
  const s = await seedEnrolled({ bundles: [{ product: 'cad-pro', count: 8, activations: 1 }] })(ctx)
  const keys = s.bundles[0].licenses.slice(0, 6).map((l) => l.key)
  for (const k of keys) await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'assign', k, '--user', s.bob.id])
  return { ...s, keys }
}

// requestText: a customer machine's activation request (rpctl client, its own state).
async function requestText(portal, machine, key) {
  const dir = join(portal.dir, 'clients')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `${machine}.req.txt`)
  await rpctl(portal.env, ['client', '--state', join(dir, machine), 'request', '--product', 'cad-pro', '--license', key, '--out', out, '--machine-id', machine])
  return readFileSync(out, 'utf8')
}

// api calls an operation from a page (its cookies: its session).
function api(page, op, params = {}) {
  return page.evaluate(
    async ([o, p]) => {
      const res = await fetch(`/api/call/${o}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(p) })
      return res.json()
    },
    [op, params],
  )
}

describe('customer requests (admin)', () => {
  let portal, adminBrowser, bobBrowser, admin, bob, seen, keys
  const ids = {}

  before(async () => {
    portal = await startPortal({ seed })
    keys = portal.seeded.keys
    adminBrowser = await launchBrowser()
    admin = adminBrowser.context.pages()[0] ?? (await adminBrowser.context.newPage())
    admin.setDefaultTimeout(TIMEOUT)
    seen = await watch(admin)
    await open(admin, portal.url, '/requests')
    await signIn(admin)

    // Bob: invited by the admin, redeemed in his own browser.
    const inv = await api(admin, 'customers.invite', { user: portal.seeded.bob.id })
    assert.equal(inv.ok, true, JSON.stringify(inv))
    bobBrowser = await launchBrowser()
    bob = bobBrowser.context.pages()[0] ?? (await bobBrowser.context.newPage())
    bob.setDefaultTimeout(TIMEOUT)
    await bob.goto(`${portal.url}/`)
    const red = await api(bob, 'customers.redeem', { code: inv.data.code, password: BOB_PASSWORD })
    assert.equal(red.ok, true, JSON.stringify(red))
  })

  after(async () => {
    await bobBrowser?.close()
    await adminBrowser?.close()
    await portal?.stop()
  })

  const nav = () => admin.getByRole('navigation', { name: 'Main' })
  const row = (id) => admin.locator(`tbody tr[data-id="${id}"]`)
  const notice = () => admin.getByTestId('request-notice')
  const unlockedBanner = () => admin.getByTestId('banner-signing-unlocked')
  const UNLOCKED = /^Customer signing is unlocked on this server \(by alice since .+\): customers' requests are signed at once\.$/

  it('no requests yet: the screen says so, the navigation shows no count', async () => {
    await admin.getByRole('heading', { name: 'Customer requests', level: 2 }).waitFor()
    await admin.getByTestId('requests-empty').getByText('No requests waiting', { exact: true }).waitFor()
    const link = nav().getByRole('link', { name: 'Requests', exact: true })
    await link.waitFor()
    assert.equal(await link.getAttribute('aria-current'), 'page')
    assert.equal(await admin.getByTestId('requests-badge').count(), 0)
    // placed right after Activations
    const names = await nav().getByRole('link').allInnerTexts()
    assert.equal(names[names.indexOf('Activations') + 1].trim(), 'Requests')
    await axe(admin, 'requests (empty)')
  })

  it('Bob submits four requests; the navigation counts them after a route change', async () => {
    const plan = [
      ['approve', 'bob-m1', keys[0]],
      ['reject', 'bob-m2', keys[1]],
      ['late', 'bob-m3', keys[2]],
      ['first', 'bob-m4', keys[2]], // the same license: once this is approved, it is used up
    ]
    for (const [name, machine, key] of plan) {
      const r = await api(bob, 'my.activate', { text: await requestText(portal, machine, key) })
      assert.equal(r.ok, true, JSON.stringify(r))
      assert.equal(r.data.state, 'pending')
      ids[name] = r.data.id
    }
    await nav().getByRole('link', { name: 'Dashboard' }).click()
    await nav().getByRole('link', { name: 'Requests, 4 waiting' }).waitFor()
    assert.equal(await admin.getByTestId('requests-badge').innerText(), '4')
    await nav().getByRole('link', { name: /^Requests/ }).click()
    await admin.waitForURL(/#\/requests$/)
    for (const id of Object.values(ids)) await row(id).waitFor()
    const first = row(ids.approve)
    await first.getByRole('link', { name: 'Bob Builder' }).waitFor()
    assert.equal(await first.getByRole('link', { name: 'Bob Builder' }).getAttribute('href'), `#/customers/${portal.seeded.bob.id}`)
    await first.getByRole('link', { name: keys[0] }).waitFor()
    await first.getByText('bob-m1').waitFor().catch(() => {}) // the hostname, when the client sends one
    await first.getByText('Pending').waitFor()
    // newest first
    const order = await admin.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')))
    assert.deepEqual(order, [ids.first, ids.late, ids.reject, ids.approve])
    await axe(admin, 'requests (pending)')
    await shot(admin, 'requests.png')
  })

  it('approves one: signed, in words; Bob now gets the response', async () => {
    await admin.getByRole('button', { name: `Approve ${ids.approve}`, exact: true }).click()
    const text = await notice().getByText(/signed as activation A\d+/).innerText()
    assert.match(text, new RegExp(`${ids.approve} approved: signed as activation A\\d+\\. Bob Builder can now download the response in the customer portal\\.`))
    // decided: it leaves the pending list at once; the outcome stays said
    await row(ids.approve).waitFor({ state: 'detached' })
    assert.equal(await admin.getByRole('button', { name: `Approve ${ids.approve}`, exact: true }).count(), 0)
    await notice().getByText(/signed as activation A\d+/).waitFor()
    await admin.getByRole('button', { name: `Approve ${ids.late}`, exact: true }).waitFor()
    await nav().getByRole('link', { name: 'Requests, 3 waiting' }).waitFor()

    const mine = await api(bob, 'my.request', { id: ids.approve })
    assert.equal(mine.ok, true, JSON.stringify(mine))
    assert.equal(mine.data.state, 'approved')
    assert.match(mine.data.response?.armored ?? '', /BEGIN/)
    assert.match(text, new RegExp(mine.data.activation))
  })

  it('rejects one with a reason (required); Bob reads it; it shows as text', async () => {
    await admin.getByRole('button', { name: `Reject ${ids.reject}`, exact: true }).click()
    const dialog = admin.getByRole('dialog', { name: `Reject ${ids.reject}?` })
    await dialog.waitFor()
    await axe(admin, 'reject dialog')
    await dialog.getByRole('button', { name: 'Reject request' }).click()
    await dialog.getByText('Give the customer a reason (1 to 500 characters).').waitFor()
    const reason = dialog.getByLabel('Reason')
    assert.equal(await reason.getAttribute('maxlength'), '500')
    await reason.fill(REASON)
    await dialog.getByRole('button', { name: 'Reject request' }).click()
    await dialog.waitFor({ state: 'detached' })
    await notice().getByText(`${ids.reject} rejected. Bob Builder sees your reason in the customer portal.`).waitFor()
    // decided: it leaves the pending list (its reason is checked under the Rejected filter below)
    await row(ids.reject).waitFor({ state: 'detached' })
    await notice().getByText(`${ids.reject} rejected.`, { exact: false }).waitFor()

    const mine = await api(bob, 'my.request', { id: ids.reject })
    assert.equal(mine.data.state, 'rejected')
    assert.equal(mine.data.reason, REASON)
  })

  it('an approval refused because the license was used up meanwhile is said in words; the row stays', async () => {
    await admin.getByRole('button', { name: `Approve ${ids.first}`, exact: true }).click()
    await row(ids.first).waitFor({ state: 'detached' })
    await admin.getByRole('button', { name: `Approve ${ids.late}`, exact: true }).click()
    await notice().getByText(`${ids.late} was not approved: This license has no activations left. The request still waits.`).waitFor()
    await row(ids.late).getByText('Pending').waitFor()
    await admin.getByRole('button', { name: `Approve ${ids.late}`, exact: true }).waitFor()
    await axe(admin, 'requests (refusal shown)')
    const mine = await api(bob, 'my.request', { id: ids.late })
    assert.equal(mine.data.state, 'pending')
    await nav().getByRole('link', { name: 'Requests, 1 waiting' }).waitFor()
  })

  it('the state filter lives in the query string; a reload keeps it', async () => {
    await admin.getByLabel('State').selectOption('rejected')
    await admin.waitForURL(/#\/requests\?state=rejected$/)
    await row(ids.reject).waitFor()
    await admin.reload()
    const r = row(ids.reject)
    await r.waitFor()
    assert.equal(await admin.locator('tbody tr').count(), 1)
    await r.getByText('Rejected', { exact: true }).waitFor()
    assert.equal(await r.getByTestId('request-reason').innerText(), `Reason: ${REASON}`)
    assert.equal(await r.locator('b').count(), 0, 'the reason is text, not HTML')
    await admin.getByLabel('State').selectOption('approved')
    await row(ids.approve).waitFor()
    await row(ids.first).waitFor()
    assert.equal(await admin.locator('tbody tr').count(), 2)
    await admin.getByLabel('State').selectOption('all')
    await admin.waitForURL(/state=all/)
    await row(ids.late).waitFor()
    assert.equal(await admin.locator('tbody tr').count(), 4)
    await admin.getByLabel('State').selectOption('pending')
    await admin.waitForURL(/#\/requests$/)
    await row(ids.late).waitFor()
    assert.equal(await admin.locator('tbody tr').count(), 1)
  })

  it('settings: immediate signing, unlocked with the password (a wrong one refused), locked, back to approval', async () => {
    await nav().getByRole('link', { name: 'Settings' }).click()
    const panel = admin.getByTestId('settings-signing')
    await panel.getByRole('heading', { name: 'Customer signing' }).waitFor()
    // the screen scrolls inside the frame: the page itself never grows past
    // the window (hidden texts once stretched it and scrolled the header away)
    const { doc, win } = await admin.evaluate(() => ({ doc: document.scrollingElement.scrollHeight, win: innerHeight }))
    assert.equal(doc, win, 'the page is no taller than the window')
    const approval = panel.getByRole('radio', { name: 'Approval by an admin (default)', exact: true })
    const immediate = panel.getByRole('radio', { name: 'Immediate', exact: true })
    await approval.waitFor()
    assert.equal(await approval.isChecked(), true)
    await panel.getByTestId('signing-pending').getByText('One request waits for an admin.').waitFor()
    await axe(admin, 'settings (customer signing, approval)')

    await immediate.check()
    await panel.getByText('Customer signing is now immediate.', { exact: false }).waitFor()
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    assert.equal(await immediate.isChecked(), true)
    // locked: Bob's request is refused, not queued
    const locked = await api(bob, 'my.activate', { text: await requestText(portal, 'bob-m5', keys[3]) })
    assert.equal(locked.code, 'customer_signing_locked', JSON.stringify(locked))

    await panel.getByLabel('Your password').fill('not my password')
    await panel.getByRole('button', { name: 'Unlock customer signing', exact: true }).click()
    await panel.getByText('Wrong password.').waitFor()
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    await panel.getByLabel('Your password').fill(PASSWORD)
    await panel.getByRole('button', { name: 'Unlock customer signing', exact: true }).click()
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice since/).waitFor()
    // the admin shell says so on every screen while it lasts
    await unlockedBanner().waitFor()
    assert.match((await unlockedBanner().getByTestId('banner-signing-text').innerText()).trim(), UNLOCKED)
    assert.equal(await unlockedBanner().getByRole('link').count(), 0, 'no link to the settings on the settings')
    await axe(admin, 'settings (customer signing, unlocked)')
    await shot(admin, 'settings-signing.png')

    // unlocked: signed at once
    const now = await api(bob, 'my.activate', { text: await requestText(portal, 'bob-m5', keys[3]) })
    assert.equal(now.ok, true, JSON.stringify(now))
    assert.equal(now.data.state, 'approved')
    assert.ok(now.data.response?.compact)

    await panel.getByRole('button', { name: 'Lock customer signing', exact: true }).click()
    await panel.getByText('Customer signing is locked.').waitFor()
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    await unlockedBanner().waitFor({ state: 'detached' })
    const again = await api(bob, 'my.activate', { text: await requestText(portal, 'bob-m6', keys[4]) })
    assert.equal(again.code, 'customer_signing_locked')

    await approval.check()
    await panel.getByText('Customer signing is now by approval: requests wait for an admin.').waitFor()
    assert.equal(await panel.getByTestId('signing-state').count(), 0)
    const st = await api(admin, 'signing.status')
    assert.deepEqual([st.data.mode, st.data.unlocked], ['approval', false])
    const queued = await api(bob, 'my.activate', { text: await requestText(portal, 'bob-m6', keys[4]) })
    assert.equal(queued.data.state, 'pending')
  })

  it('the unlocked banner on another screen: its link opens the settings, its button locks', async () => {
    const panel = admin.getByTestId('settings-signing')
    await panel.getByRole('radio', { name: 'Immediate', exact: true }).check()
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    await panel.getByLabel('Your password').fill(PASSWORD)
    await panel.getByRole('button', { name: 'Unlock customer signing', exact: true }).click()
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice/).waitFor()
    await nav().getByRole('link', { name: /^Requests/ }).click()
    await admin.waitForURL(/#\/requests/)
    await unlockedBanner().waitFor()
    assert.match((await unlockedBanner().getByTestId('banner-signing-text').innerText()).trim(), UNLOCKED)
    await axe(admin, 'requests (customer signing unlocked banner)')
    await unlockedBanner().getByRole('link', { name: 'Signing settings', exact: true }).click()
    await admin.waitForURL(/#\/settings$/)
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice/).waitFor()
    await unlockedBanner().getByRole('button', { name: 'Lock signing now', exact: true }).click()
    await unlockedBanner().waitFor({ state: 'detached' })
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    const st = await api(admin, 'signing.status')
    assert.deepEqual([st.data.mode, st.data.unlocked], ['immediate', false])
  })

  it('switching to approval while unlocked locks the key', async () => {
    const panel = admin.getByTestId('settings-signing')
    await panel.getByRole('radio', { name: 'Immediate', exact: true }).check()
    await panel.getByLabel('Your password').fill(PASSWORD)
    await panel.getByRole('button', { name: 'Unlock customer signing', exact: true }).click()
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice/).waitFor()
    await unlockedBanner().waitFor()
    await panel.getByRole('radio', { name: 'Approval by an admin (default)', exact: true }).check()
    await panel.getByText('Customer signing is now by approval; the unlocked key was locked.').waitFor()
    await unlockedBanner().waitFor({ state: 'detached' })
    const st = await api(admin, 'signing.status')
    assert.deepEqual([st.data.mode, st.data.unlocked], ['approval', false])
  })

  it('the German screen says the same', async () => {
    await open(admin, portal.url, '/requests')
    await admin.evaluate(() => localStorage.setItem('rp.locale', 'de'))
    await admin.reload()
    try {
      await admin.getByRole('heading', { name: 'Kundenanfragen', level: 2 }).waitFor()
      await admin.getByRole('link', { name: 'Anfragen, 2 warten', exact: true }).waitFor()
      await admin.getByRole('button', { name: `${ids.late} genehmigen`, exact: true }).waitFor()
      await axe(admin, 'requests (German)')
    } finally {
      await admin.evaluate(() => localStorage.removeItem('rp.locale'))
    }
  })

  it('no console errors or CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
