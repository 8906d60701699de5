// The customer portal end to end against serve mode: the admin invites Bob
// from his customer page and reads the code; in a second browser (its own
// cookies) Bob redeems it, sees only his licenses, is refused Carol's (URL
// and API) and the admin screens, signs out and in again by email; the admin
// disables him and his next step lands on sign-in. axe on every new screen.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startPortal } from './harness.mjs'
import { rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const BOB_PASSWORD = 'bob builds 42'
const BOB_NEW_PASSWORD = 'bob rebuilds 43'

// seedCustomers: two licenses for Bob, one for Carol, one for Bob's
// organization (Bob is no manager: he must not see it).
async function seedCustomers(ctx) {
  const s = await seedEnrolled()(ctx)
  const portal = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
  const keys = s.bundles[0].licenses.slice(0, 4).map((l) => l.key)
  await portal('license', 'assign', keys[0], '--user', s.bob.id)
  await portal('license', 'assign', keys[1], '--user', s.bob.id)
  await portal('license', 'assign', keys[2], '--user', s.carol.id)
  await portal('license', 'assign', keys[3], '--org', s.org.id)
  return { ...s, keys }
}

async function newPage(browser) {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage())
  page.setDefaultTimeout(TIMEOUT)
  return page
}

describe('customer portal', () => {
  let portal, adminBrowser, bobBrowser, admin, bob, adminSeen, bobSeen, keys, bobId
  let code = ''
  const redeems = []

  before(async () => {
    portal = await startPortal({ seed: seedCustomers })
    keys = portal.seeded.keys
    bobId = portal.seeded.bob.id
    adminBrowser = await launchBrowser()
    admin = await newPage(adminBrowser)
    adminSeen = await watch(admin)
    await open(admin, portal.url, `/customers/${bobId}`)
    await signIn(admin)
    bobBrowser = await launchBrowser()
    bob = await newPage(bobBrowser)
    bobSeen = await watch(bob)
    bob.on('request', (r) => {
      if (r.url().includes('/api/call/customers.redeem')) redeems.push(r.postData())
    })
  })

  after(async () => {
    await bobBrowser?.close()
    await adminBrowser?.close()
    await portal?.stop()
  })

  it('the admin invites Bob from his page and reads the code once', async () => {
    const panel = admin.getByTestId('customer-account')
    await panel.getByTestId('account-state').filter({ hasText: 'No account yet' }).waitFor()
    await axe(admin, 'customer account panel (no account)')
    await panel.getByRole('button', { name: 'Invite' }).click()
    code = (await panel.getByTestId('invitation-code').innerText()).trim()
    assert.match(code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/)
    await panel.getByTestId('qr-image').waitFor()
    assert.match(await panel.getByTestId('invitation-note').innerText(), /shown only once and is valid for 7 days/)
    assert.match(await panel.getByTestId('invitation-note').innerText(), new RegExp(`${portal.url.replace(/[.:/]/g, '\\$&')}/#/redeem`))
    await panel.getByTestId('account-state').filter({ hasText: 'Invited; the invitation is valid until' }).waitFor()
    await panel.getByRole('switch', { name: 'Organization manager' }).waitFor()
    await axe(admin, 'customer account panel (invitation shown)')
    await shot(admin, 'customer-account-invited.png')
  })

  it('Print prints only the invitation card', async () => {
    await admin.emulateMedia({ media: 'print' })
    try {
      const card = admin.getByTestId('print-card')
      await card.getByTestId('print-card-code').waitFor()
      assert.equal(await card.getByTestId('print-card-code').innerText(), code)
      await card.getByTestId('qr-image').waitFor()
      assert.match(await card.getByTestId('print-card-company').innerText(), /\S/)
      assert.equal(await card.getByTestId('print-card-url').innerText(), `${portal.url}/#/redeem`)
      assert.match(await card.innerText(), /Invitation for Bob Builder[\s\S]*Valid until [\s\S]*scan the QR code[\s\S]*choose your password/)
      await shot(admin, 'customer-invitation-print.png')
      assert.equal(await admin.locator('nav.side').isVisible(), false, 'the side navigation does not print')
      assert.equal(await admin.getByTestId('customer-account').isVisible(), false, 'nor the rest of the page')
    } finally {
      await admin.emulateMedia({ media: null })
    }
    await admin.getByTestId('customer-account').getByTestId('invitation-code').waitFor()
    assert.equal(await admin.getByTestId('print-card').isVisible(), false, 'the card is print-only')
  })

  it('the customer sign-in offers the invitation form', async () => {
    await open(bob, portal.url, '/my/licenses')
    await bob.getByTestId('signin').waitFor()
    await bob.getByRole('button', { name: "I'm a customer" }).click()
    await bob.getByLabel(/^Email/).waitFor()
    await axe(bob, 'customer sign-in')
    await bob.getByRole('link', { name: 'Have an invitation code?' }).click()
    await bob.getByTestId('redeem').waitFor()
    assert.match(bob.url(), /#\/redeem$/)
    await axe(bob, 'redeem screen')
  })

  it('Bob redeems the code (prefilled from the link), mismatch caught before sending', async () => {
    await open(bob, portal.url, `/redeem?code=${encodeURIComponent(code)}`)
    await bob.getByTestId('redeem').waitFor()
    assert.equal(await bob.getByLabel(/^Invitation code/).inputValue(), code)
    await bob.getByLabel(/^New password/).fill('short')
    await bob.getByLabel(/^Repeat the password/).fill('short')
    await bob.getByRole('button', { name: 'Set password and sign in' }).click()
    await bob.getByText('At least 8 characters.').waitFor()
    await bob.getByLabel(/^New password/).fill(BOB_PASSWORD)
    await bob.getByLabel(/^Repeat the password/).fill(BOB_PASSWORD + 'x')
    await bob.getByRole('button', { name: 'Set password and sign in' }).click()
    await bob.getByText('The two passwords differ.').waitFor()
    assert.equal(redeems.length, 0, 'nothing sent before the form is right')
    await bob.getByLabel(/^Repeat the password/).fill(BOB_PASSWORD)
    await bob.getByRole('button', { name: 'Set password and sign in' }).click()
    await bob.getByTestId('customer-signed-in-as').filter({ hasText: 'Signed in as Bob Builder' }).waitFor()
    await bob.waitForURL(/#\/my\/licenses$/)
    assert.equal(redeems.length, 1)
  })

  it('a used code is refused in words', async () => {
    // Through the API without cookies: the code was single-use.
    const r = await bob.evaluate(async (c) => {
      const res = await fetch('/api/call/customers.redeem', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: c, password: 'another password' }),
        credentials: 'omit',
      })
      return res.json()
    }, code)
    assert.equal(r.code, 'invitation_invalid', JSON.stringify(r))
  })

  it('Bob sees only his licenses, not Carol\'s nor the organization\'s', async () => {
    const table = bob.getByTestId('my-licenses-table')
    await table.getByRole('link', { name: keys[0] }).waitFor()
    await table.getByRole('link', { name: keys[1] }).waitFor()
    const text = await table.innerText()
    assert.ok(!text.includes(keys[2]), 'Carol\'s license is not listed')
    assert.ok(!text.includes(keys[3]), 'the organization\'s license is not listed (Bob is no manager)')
    assert.match(text, /0 of 2/)
    assert.equal(await bob.getByRole('navigation', { name: 'Customer portal' }).getByRole('link').count(), 5)
    await axe(bob, 'my licenses')
    await shot(bob, 'customer-my-licenses.png')
    await table.getByRole('link', { name: keys[0] }).click()
    await bob.waitForURL(new RegExp(`#/my/licenses/${keys[0]}$`))
    await bob.getByRole('heading', { name: `License ${keys[0]}` }).waitFor()
    await bob.getByTestId('my-activations-none').waitFor()
    await axe(bob, 'my license')
  })

  it('Carol\'s license is "no such license", by URL and by API; admin ops answer forbidden', async () => {
    await open(bob, portal.url, `/my/licenses/${keys[2]}`)
    await bob.getByTestId('page-error').filter({ hasText: 'There is no such license' }).waitFor()
    assert.equal(await bob.getByTestId('page-error').getAttribute('data-code'), 'license_not_found')
    const api = await bob.evaluate(async () => {
      const res = await fetch('/api/call/licenses.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      return { status: res.status, body: await res.json() }
    })
    assert.equal(api.body.ok, false)
    assert.equal(api.body.code, 'forbidden')
    assert.equal(api.status, 403)
  })

  it('the admin screens send a customer back to #/my/licenses; an admin never sees #/my/…', async () => {
    for (const route of ['/customers', '/settings', '/dashboard']) {
      await open(bob, portal.url, route)
      await bob.waitForURL(/#\/my\/licenses$/)
      await bob.getByTestId('my-licenses-table').waitFor()
    }
    assert.equal(await bob.getByTestId('home').count(), 0, 'no admin shell')
    await open(admin, portal.url, '/my/licenses')
    await admin.waitForURL(/#\/dashboard$/)
    await admin.getByTestId('signed-in-as').waitFor()
    await open(admin, portal.url, '/redeem')
    await admin.waitForURL(/#\/dashboard$/)
  })

  it('Bob signs out and in again with email and password', async () => {
    await bob.getByTestId('signout').click()
    await bob.getByTestId('signin').waitFor()
    // The window remembers that a customer signed out: the customer form.
    assert.equal(await bob.getByLabel(/^Email/).inputValue(), 'bob@globex.example')
    await bob.getByLabel(/^Password/).fill('wrong password!')
    await bob.getByRole('button', { name: 'Sign in as a customer' }).click()
    await bob.getByRole('alert').filter({ hasText: /password/i }).waitFor()
    await bob.getByLabel(/^Password/).fill(BOB_PASSWORD)
    await bob.getByRole('button', { name: 'Sign in as a customer' }).click()
    await bob.getByTestId('customer-signed-in-as').waitFor()
    await bob.getByTestId('my-licenses-table').getByRole('link', { name: keys[0] }).waitFor()
  })

  it('Bob changes his password: mismatch caught before sending, the old one refused after', async () => {
    const sent = []
    const onReq = (r) => {
      if (r.url().includes('/api/call/my.passwd')) sent.push(r.postData())
    }
    bob.on('request', onReq)
    await bob.getByRole('navigation', { name: 'Customer portal' }).getByRole('link', { name: 'My account' }).click()
    await bob.waitForURL(/#\/my\/account$/)
    const form = bob.getByTestId('my-password')
    await form.getByLabel(/^Current password/).fill(BOB_PASSWORD)
    await form.getByLabel(/^New password/).fill(BOB_NEW_PASSWORD)
    await form.getByLabel(/^Repeat the new password/).fill(BOB_NEW_PASSWORD + 'x')
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByTestId('problem').filter({ hasText: 'The two new passwords differ.' }).waitFor()
    assert.equal(sent.length, 0, 'nothing sent before the form is right')
    await axe(bob, 'my account (password form)')
    await form.getByLabel(/^Repeat the new password/).fill(BOB_NEW_PASSWORD)
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByTestId('my-password-changed').filter({ hasText: 'Your password has been changed.' }).waitFor()
    assert.equal(sent.length, 1)
    bob.off('request', onReq)
    await shot(bob, 'customer-my-account.png')
    await bob.getByTestId('signout').click()
    await bob.getByTestId('signin').waitFor()
    await bob.getByLabel(/^Password/).fill(BOB_PASSWORD)
    await bob.getByRole('button', { name: 'Sign in as a customer' }).click()
    await bob.getByRole('alert').filter({ hasText: /password/i }).waitFor()
    await bob.getByLabel(/^Password/).fill(BOB_NEW_PASSWORD)
    await bob.getByRole('button', { name: 'Sign in as a customer' }).click()
    await bob.getByTestId('customer-signed-in-as').waitFor()
    await bob.getByTestId('my-account').waitFor() // back where he signed out
    await bob.getByRole('navigation', { name: 'Customer portal' }).getByRole('link', { name: 'My licenses' }).click()
    await bob.getByTestId('my-licenses-table').getByRole('link', { name: keys[0] }).waitFor()
  })

  it('the admin disables Bob: his next step lands on sign-in', async () => {
    await open(admin, portal.url, `/customers/${bobId}`)
    const panel = admin.getByTestId('customer-account')
    await panel.getByTestId('account-state').filter({ hasText: /^Active since .*; last sign-in: / }).waitFor()
    await panel.getByRole('button', { name: 'Disable' }).click()
    await panel.getByTestId('account-state').filter({ hasText: 'Disabled' }).waitFor()
    await panel.getByRole('button', { name: 'Enable' }).waitFor()
    await axe(admin, 'customer account panel (disabled)')
    await bob.getByTestId('my-licenses-table').getByRole('link', { name: keys[1] }).click()
    await bob.getByTestId('signin').waitFor()
    await bob.getByRole('button', { name: 'Sign in as a customer' }).waitFor()
    await bob.getByLabel(/^Password/).fill(BOB_NEW_PASSWORD)
    await bob.getByRole('button', { name: 'Sign in as a customer' }).click()
    await bob.getByRole('alert').filter({ hasText: 'This customer account is disabled' }).waitFor()
  })

  it('no console errors or CSP violations in either browser', () => {
    assert.deepEqual(adminSeen.violations, [])
    assert.deepEqual(adminSeen.errors, [])
    assert.deepEqual(bobSeen.violations, [])
    assert.deepEqual(bobSeen.errors, [])
  })
})
