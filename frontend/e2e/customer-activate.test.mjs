// The customer's side of activation end to end against serve mode: the
// admin invites Ada (API), she redeems in a second browser (its own
// cookies), then — approval mode — uploads a request made by the real
// customer side (`rpctl client request`), sees "Send for approval", submits
// and waits; the admin approves in their own browser (#/requests); her
// request page shows the response, which `rpctl client install` accepts.
// The same file again says it was submitted before; a rejected request
// shows the reason as text. Immediate mode (chosen in settings): locked
// until an admin unlocks signing in settings, then a request is answered at once. Deactivation frees the slot;
// a request for Carol's license is refused in words. axe on every new
// screen; upload→response timed in both modes.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startPortal } from './harness.mjs'
import { PASSWORD, rpctl, seedEnrolled } from './seed.mjs'
import { TIMEOUT, axe, open, shot, signIn, watch } from './pages.mjs'

const ADA_PASSWORD = 'ada computes 1843'

// seedAda: Ada Lovelace with two cad-pro licenses (2 activations each);
// Carol has one.
async function seedAda(ctx) {
  const s = await seedEnrolled()(ctx)
  const portal = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
  const ada = await portal('user', 'create', '--name', 'Ada Lovelace', '--email', 'ada@example.com')
  const keys = s.bundles[0].licenses.slice(0, 3).map((l) => l.key)
  await portal('license', 'assign', keys[0], '--user', ada.id)
  await portal('license', 'assign', keys[1], '--user', ada.id)
  await portal('license', 'assign', keys[2], '--user', s.carol.id)
  return { ...s, ada, keys }
}

// The customer's machine: `rpctl client` with its own state directory.
function machine(portal, name) {
  const state = join(portal.dir, 'clients', name)
  const pub = join(portal.seeded.vdir, 'publisher.pub')
  const c = (args) => rpctl(portal.env, ['client', '--state', state, ...args])
  return {
    async request(key) {
      const out = join(portal.dir, 'clients', `${name}.req.txt`)
      await c(['request', '--product', 'cad-pro', '--license', key, '--out', out, '--machine-id', name])
      return out
    },
    install: (resp) => c(['install', '--publisher-key', pub, '--in', resp]),
    status: () => c(['status', '--publisher-key', pub]),
    async deactivate() {
      const out = join(portal.dir, 'clients', `${name}.deact.txt`)
      await c(['deactivate', '--out', out])
      return out
    },
  }
}

// api calls an operation in the page's session (the admin's browser).
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

describe('customer activation', () => {
  let portal, adminBrowser, adaBrowser, admin, ada, adminSeen, adaSeen, keys, out
  let m1, m1Req, firstId
  const timings = {}

  // upload opens a file through the drop zone's file chooser; returns the
  // time the file was set.
  async function upload(zoneName, file) {
    const zone = ada.getByRole('group', { name: zoneName })
    const [chooser] = await Promise.all([ada.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(file)
    return performance.now()
  }
  const uploadRequest = (file) => upload('Drop zone for the activation request', file)
  const nav = () => ada.getByRole('navigation', { name: 'Customer portal' })
  const responseQr = () => ada.getByRole('img', { name: /^QR code of the signed response/ })
  async function download(button) {
    const [d] = await Promise.all([ada.waitForEvent('download'), ada.getByRole('button', { name: button }).click()])
    const file = join(out, d.suggestedFilename())
    await d.saveAs(file)
    return file
  }

  before(async () => {
    portal = await startPortal({ seed: seedAda })
    keys = portal.seeded.keys
    out = join(portal.dir, 'out')
    mkdirSync(join(portal.dir, 'clients'), { recursive: true })
    mkdirSync(out, { recursive: true })
    adminBrowser = await launchBrowser()
    admin = await newPage(adminBrowser)
    adminSeen = await watch(admin)
    await open(admin, portal.url, '/dashboard')
    await signIn(admin)
    adaBrowser = await launchBrowser()
    ada = await newPage(adaBrowser)
    adaSeen = await watch(ada)
  })

  after(async () => {
    console.log(`# customer upload→response timings (ms): ${JSON.stringify(timings)}`)
    await adaBrowser?.close()
    await adminBrowser?.close()
    await portal?.stop()
  })

  it('the admin invites Ada; she redeems the code in her own browser', async () => {
    const inv = await api(admin, 'customers.invite', { user: portal.seeded.ada.id })
    assert.equal(inv.ok, true, JSON.stringify(inv))
    await open(ada, portal.url, `/redeem?code=${encodeURIComponent(inv.data.code)}`)
    await ada.getByTestId('redeem').waitFor()
    await ada.getByLabel(/^New password/).fill(ADA_PASSWORD)
    await ada.getByLabel(/^Repeat the password/).fill(ADA_PASSWORD)
    await ada.getByRole('button', { name: 'Set password and sign in' }).click()
    await ada.getByTestId('customer-signed-in-as').filter({ hasText: 'Signed in as Ada Lovelace' }).waitFor()
    await ada.waitForURL(/#\/my\/licenses$/)
  })

  it('the navigation: My licenses, Activate, Deactivate, My requests, My account', async () => {
    const names = await nav().getByRole('link').allInnerTexts()
    assert.deepEqual(names.map((s) => s.trim()), ['My licenses', 'Activate', 'Deactivate', 'My requests', 'My account'])
    await nav().getByRole('link', { name: 'My requests', exact: true }).click()
    await ada.waitForURL(/#\/my\/requests$/)
    await ada.getByText('You have not sent any activation request yet.').waitFor()
    await axe(ada, 'my requests (none)')
    await nav().getByRole('link', { name: 'Activate', exact: true }).click()
    await ada.waitForURL(/#\/my\/activate$/)
    await ada.getByRole('heading', { name: 'Activate a machine', level: 2 }).waitFor()
    assert.equal(await nav().getByRole('link', { name: 'Activate', exact: true }).getAttribute('aria-current'), 'page')
    await axe(ada, 'my activate: intake')
  })

  it('approval mode: the request is sent for approval and waits', async () => {
    m1 = machine(portal, 'm1')
    m1Req = await m1.request(keys[0])
    const t0 = await uploadRequest(m1Req)
    await ada.getByTestId('my-preview').waitFor()
    timings.approvalUploadToPreview = Math.round(performance.now() - t0)
    assert.equal(await ada.getByTestId('my-preview-license').innerText(), keys[0])
    assert.equal(await ada.getByTestId('my-preview-activations').innerText(), '0 → 1 of 2')
    assert.match(await ada.getByTestId('my-preview-hostname').innerText(), /\S/)
    assert.match(await ada.getByTestId('my-activate-mode').innerText(), /approves each request/)
    const send = ada.getByRole('button', { name: 'Send for approval' })
    await send.waitFor()
    assert.equal(await ada.getByRole('button', { name: 'Get the response' }).count(), 0)
    await axe(ada, 'my activate: preview (approval)')
    await shot(ada, 'customer-activate-preview.png')
    const tSend = performance.now()
    await send.click()
    await ada.getByText("Waiting for your reseller's approval").first().waitFor()
    timings.approvalSendToPending = Math.round(performance.now() - tSend)
    const link = ada.getByRole('link', { name: /^Open request R\d+$/ })
    firstId = (await link.innerText()).match(/R\d+/)[0]
    assert.equal(await ada.getByTestId('my-request-state').innerText(), 'Pending')
    await axe(ada, 'my activate: pending')
    await link.click()
    await ada.waitForURL(new RegExp(`#/my/requests/${firstId}$`))
    await ada.getByRole('heading', { name: `Request ${firstId}`, level: 2 }).waitFor()
    await ada.getByRole('button', { name: 'Check again' }).waitFor()
    await axe(ada, 'my request: pending')
    timings.t0 = t0
  })

  it('the admin approves it in their own browser (Requests, with the count in the navigation); Ada\'s request page shows the response, which the client installs', async () => {
    await open(admin, portal.url, '/activations') // a route change refreshes the count
    const link = admin.getByRole('link', { name: 'Requests, 1 waiting' })
    await link.waitFor()
    await link.click()
    await admin.waitForURL(/#\/requests/)
    const tApprove = performance.now()
    await admin.getByRole('button', { name: `Approve ${firstId}`, exact: true }).click()
    await admin.getByText(new RegExp(`${firstId} approved: signed as activation A\\d+`)).waitFor()
    const tApproved = performance.now()
    await ada.getByRole('button', { name: 'Check again' }).click()
    await responseQr().waitFor()
    const now = performance.now()
    // Wall time includes this test's own checks (axe, screenshot, listing).
    timings.approvalUploadToResponseWall = Math.round(now - timings.t0)
    timings.approvalApproveCall = Math.round(tApproved - tApprove)
    timings.approvalCheckAgainToResponse = Math.round(now - tApproved)
    // What the user waits for, the admin's decision excluded.
    timings.approvalUploadToResponseNoAdmin = timings.approvalUploadToPreview + timings.approvalSendToPending + timings.approvalCheckAgainToResponse
    delete timings.t0
    assert.equal(await ada.getByTestId('my-request-state').innerText(), 'Approved')
    const hostname = await ada.getByTestId('my-request-hostname').innerText()
    const resp = await download('Save the response…')
    assert.equal(resp.split('/').pop(), `${hostname.replace(/[^A-Za-z0-9._-]+/g, '-')}-${keys[0]}.response.txt`)
    await m1.install(resp)
    assert.equal((await m1.status()).activated, true)
    const pdf = await download('Activation sheet (PDF)…')
    assert.match(pdf, /\.pdf$/)
    assert.ok(statSync(pdf).size > 1000)
    await axe(ada, 'my request: approved')
    await shot(ada, 'customer-request-approved.png')
  })

  it('My requests lists it as approved, linking to its page', async () => {
    await nav().getByRole('link', { name: 'My requests', exact: true }).click()
    const table = ada.getByTestId('my-requests-table')
    const row = table.getByRole('row').filter({ has: ada.getByRole('link', { name: `Request ${firstId}` }) })
    await row.waitFor()
    assert.match(await row.innerText(), new RegExp(`Approved[\\s\\S]*${keys[0]}`))
    await axe(ada, 'my requests')
    await row.getByRole('link', { name: `Request ${firstId}` }).click()
    await ada.waitForURL(new RegExp(`#/my/requests/${firstId}$`))
    await responseQr().waitFor()
  })

  it('the same request file again says it was submitted before, with its state now', async () => {
    await nav().getByRole('link', { name: 'Activate', exact: true }).click()
    await uploadRequest(m1Req)
    await ada.getByTestId('my-preview').waitFor()
    assert.match(await ada.getByTestId('my-preview-activations').innerText(), /^1 of 2 \(unchanged/)
    await ada.getByRole('button', { name: 'Send for approval' }).click()
    await ada.getByTestId('my-activate-repeat').waitFor()
    assert.equal(await ada.getByTestId('my-activate-repeat').innerText(), `You submitted this request before, as ${firstId}. Its state now: Approved.`)
    await responseQr().waitFor()
    await ada.getByRole('button', { name: 'Next request' }).click()
  })

  it('a rejected request shows the reason as text (the pending page checks again by itself)', async () => {
    const m3 = machine(portal, 'm3')
    await uploadRequest(await m3.request(keys[1]))
    await ada.getByRole('button', { name: 'Send for approval' }).click()
    const id = (await ada.getByRole('link', { name: /^Open request R\d+$/ }).innerText()).match(/R\d+/)[0]
    await ada.getByRole('link', { name: `Open request ${id}` }).click()
    await ada.getByRole('button', { name: 'Check again' }).waitFor()
    const reason = '<b>Not on this machine</b> — ask us first'
    const r = await api(admin, 'requests.reject', { id, reason })
    assert.equal(r.ok, true, JSON.stringify(r))
    // No click: the page checks again by itself (every 15 s while pending).
    await ada.getByTestId('my-request-rejected').waitFor({ timeout: 20000 })
    assert.equal(await ada.getByTestId('my-request-reason').innerText(), reason)
    assert.equal(await ada.getByTestId('my-request-state').innerText(), 'Rejected')
    assert.equal(await ada.locator('b', { hasText: 'Not on this machine' }).count(), 0, 'the reason is never HTML')
    await axe(ada, 'my request: rejected')
  })

  it('immediate mode: locked in words until an admin unlocks signing, then answered at once', async () => {
    // the admin chooses immediate in settings (locked until unlocked)
    await open(admin, portal.url, '/settings')
    const panel = admin.getByTestId('settings-signing')
    await panel.getByRole('radio', { name: 'Immediate', exact: true }).check()
    await panel.getByTestId('signing-state').getByText(/Locked/).waitFor()
    const m2 = machine(portal, 'm2')
    const req = await m2.request(keys[1])
    await nav().getByRole('link', { name: 'Activate', exact: true }).click()
    await uploadRequest(req)
    const locked = ada.getByTestId('my-activate-mode')
    await locked.filter({ hasText: 'signing is locked right now' }).waitFor()
    assert.equal(await ada.getByRole('button', { name: 'Send for approval' }).count(), 0)
    assert.equal(await ada.getByRole('button', { name: 'Get the response' }).count(), 0)
    await axe(ada, 'my activate: signing locked')
    // The API refuses the same (nothing queued).
    const refused = await ada.evaluate(async (text) => {
      const res = await fetch('/api/call/my.activate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) })
      return res.json()
    }, readFileSync(req, 'utf8'))
    assert.equal(refused.code, 'customer_signing_locked')

    // the admin unlocks customer signing for this server with their password
    await panel.getByLabel('Your password').fill(PASSWORD)
    await panel.getByRole('button', { name: 'Unlock customer signing', exact: true }).click()
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice since/).waitFor()
    await ada.getByRole('button', { name: 'Check again' }).click()
    await ada.getByRole('button', { name: 'Get the response' }).waitFor()
    await ada.getByRole('button', { name: 'Cancel' }).click()

    // Timed: from the file set to the response's QR on screen.
    const t0 = await uploadRequest(req)
    await ada.getByRole('button', { name: 'Get the response' }).click()
    await responseQr().waitFor()
    timings.immediateUploadToResponse = Math.round(performance.now() - t0) // preview, click, signed response and QR
    assert.equal(await ada.getByTestId('my-request-state').innerText(), 'Approved')
    const resp = await download('Save the response…')
    assert.match(resp, new RegExp(`-${keys[1]}\\.response\\.txt$`))
    await m2.install(resp)
    assert.equal((await m2.status()).activated, true)
    await axe(ada, 'my activate: response (immediate)')
    await shot(ada, 'customer-activate-immediate.png')
  })

  it('deactivates with a request made by rpctl client deactivate; the slot is freed', async () => {
    const dreq = await m1.deactivate()
    await nav().getByRole('link', { name: 'Deactivate', exact: true }).click()
    await ada.getByRole('heading', { name: 'Deactivate a machine', level: 2 }).waitFor()
    await axe(ada, 'my deactivate: intake')
    await upload('Drop zone for the deactivation request', dreq)
    await ada.getByTestId('my-deactivate-preview').waitFor()
    assert.equal(await ada.getByTestId('my-deactivate-license').innerText(), keys[0])
    assert.match(await ada.getByTestId('my-deactivate-machine').innerText(), /\S/)
    assert.equal(await ada.getByTestId('my-deactivate-slots').innerText(), '1 → 0 of 2')
    await axe(ada, 'my deactivate: confirm')
    await ada.getByRole('button', { name: 'Deactivate', exact: true }).click()
    await ada.getByTestId('my-deactivate-done').waitFor()
    assert.equal(await ada.getByTestId('my-deactivate-done').innerText(), 'The slot is free: 0 of 2 in use')
    await axe(ada, 'my deactivate: done')
    // The same request again: refused in words, nothing changed.
    await ada.getByRole('button', { name: 'Next request' }).click()
    await upload('Drop zone for the deactivation request', dreq)
    const refused = ada.getByTestId('my-deactivate-refused')
    await refused.waitFor()
    assert.equal(await refused.getAttribute('data-code'), 'already_deactivated')
    assert.match(await refused.innerText(), /used before[\s\S]*Nothing was changed\./)
  })

  it('a request for Carol\'s license is refused in words', async () => {
    const c1 = machine(portal, 'c1')
    await nav().getByRole('link', { name: 'Activate', exact: true }).click()
    await uploadRequest(await c1.request(keys[2]))
    const refused = ada.getByTestId('my-activate-refused')
    await refused.waitFor()
    assert.equal(await refused.getAttribute('data-code'), 'license_not_found')
    assert.match(await refused.innerText(), /There is no such license\.[\s\S]*not one of yours/)
    assert.equal(await ada.getByTestId('my-preview').count(), 0)
    await axe(ada, 'my activate: another customer\'s license')
  })

  it('no console errors or CSP violations in either browser', () => {
    assert.deepEqual(adminSeen.violations, [])
    assert.deepEqual(adminSeen.errors, [])
    assert.deepEqual(adaSeen.violations, [])
    assert.deepEqual(adaSeen.errors, [])
  })
})
