// Screenshots for the README and docs/: the dashboard, licenses, a license's
// detail and the customers (light and dark), the activation desk (preview,
// response with its QR) and a batch (in progress, done), on a portal seeded
// through the real rpctl; then the customer portal on a second portal: a
// customer's activation preview (approval mode) and her approved request
// with the response's QR, the admin's queue of customer requests and
// Settings → Customer signing unlocked. Run with `make screenshots` (not
// part of `make test`); SCREENSHOTS=admin or SCREENSHOTS=customer-portal
// makes only one of the two sets.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { launchBrowser, RPCTL, startPortal } from './harness.mjs'
import { open, signIn, TIMEOUT } from './pages.mjs'
import { PASSWORD, rpctl, seedEnrolled } from './seed.mjs'

const DOCS = join(import.meta.dirname, '..', '..', 'docs')

// request makes an activation request with the real customer side.
async function request(ctx, key, machine, dir) {
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `${machine}.req.txt`)
  await rpctl(ctx.env, ['client', '--state', join(ctx.dir, 'clients', machine), 'request', '--product', 'cad-pro', '--license', key, '--out', out, '--machine-id', machine])
  return out
}

const only = process.env.SCREENSHOTS
const shoot = async (page, name) => {
  await page.waitForTimeout(700) // theme colour and modal transitions
  const file = join(DOCS, `screenshot-${name}.png`)
  await page.screenshot({ path: file })
  console.log(`wrote ${file}`)
}

async function adminScreens() {
  const portal = await startPortal({
    seed: async (ctx) => {
      const s = await seedEnrolled()(ctx)
      await rpctl(ctx.env, ['portal', '--db', ctx.db, 'settings', 'set', '--company', 'Acme Resellers GmbH'])
      const list = (await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'list', '--limit', '20'])).filter((l) => l.product === 'cad-pro')
      for (const [i, l] of list.slice(0, 10).entries()) {
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'license', 'assign', l.key, i % 2 ? '--user' : '--org', i % 2 ? s.carol.id : s.org.id])
      }
      // a few activations made offline, so the screens have history
      const reqs = join(ctx.dir, 'reqs')
      for (const [i, l] of list.slice(1, 4).entries()) {
        const req = await request(ctx, l.key, `ws-${i + 1}`, reqs)
        await rpctl(ctx.env, ['portal', '--db', ctx.db, 'activate', '--in', req, '--out', join(reqs, `ws-${i + 1}.resp.txt`)], { json: false })
      }
      // the request the activation desk will take, and a folder for a batch
      const desk = await request(ctx, list[0].key, 'DESIGN-PC-07', join(ctx.dir, 'desk'))
      const batch = []
      for (const [i, l] of list.slice(4, 10).entries()) batch.push(await request(ctx, l.key, `LINE-${i + 1}`, join(ctx.dir, 'usb')))
      writeFileSync(join(ctx.dir, 'usb', 'notes.txt'), 'not a request\n')
      batch.push(join(ctx.dir, 'usb', 'notes.txt'))
      return { ...s, key: list[0].key, desk, batch }
    },
  })
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    await page.setViewportSize({ width: 1280, height: 800 })
    await open(page, portal.url, '/dashboard')
    await signIn(page)
    const screens = [
      ['dashboard', '/dashboard', () => page.getByTestId('count-available').waitFor()],
      ['licenses', '/licenses', () => page.getByRole('link', { name: portal.seeded.key }).first().waitFor()],
      ['license', `/licenses/${portal.seeded.key}`, () => page.getByText(portal.seeded.key).first().waitFor()],
      ['customers', '/customers', () => page.getByText('Carol Jones').first().waitFor()],
    ]
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const [name, route, ready] of screens) {
        await open(page, portal.url, route)
        await ready()
        await shoot(page, `${name}${scheme === 'dark' ? '-dark' : ''}`)
      }
    }
    await page.emulateMedia({ colorScheme: 'light' })

    // The activation desk: the request in, the preview, the signed response.
    await open(page, portal.url, '/activate')
    const zone = page.getByRole('group', { name: 'Drop zone for the activation request' })
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(portal.seeded.desk)
    await page.getByRole('button', { name: 'Sign the activation' }).waitFor()
    await shoot(page, 'activate-preview')
    await page.getByRole('button', { name: 'Sign the activation' }).click()
    await page.getByRole('img', { name: /^QR code of the signed response/ }).waitFor()
    await shoot(page, 'activate-response')

    // A batch from a USB stick: in progress (the calls slowed down), then done.
    await open(page, portal.url, '/batch')
    await page.route('**/api/call/activation.batch', async (route) => {
      await new Promise((r) => setTimeout(r, 2500))
      await route.continue()
    })
    const [files] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose files…' }).click()])
    await files.setFiles(portal.seeded.batch)
    await page.getByRole('progressbar', { name: 'Batch progress' }).waitFor()
    await shoot(page, 'batch-progress')
    await page.getByTestId('batch-done').waitFor({ timeout: 30000 })
    await page.unroute('**/api/call/activation.batch')
    await shoot(page, 'batch-done')
  } finally {
    await browser.close()
    await portal.stop()
  }
}

// The customer portal: Keller Maschinenbau's engineers and an architects'
// studio, customers of Acme Resellers GmbH, each with their own machines.
const MARIA_PASSWORD = 'keller cad seats 2024'

const run = promisify(execFile)
let uts // whether `unshare --uts` can give the customer side a hostname of its own

// machineRequest makes an activation request with the real customer side
// (`rpctl client request`), on a machine called hostname when the system
// lets a command have its own hostname (else the hostname is this one's).
async function machineRequest(ctx, { key, product = 'cad-pro', hostname }) {
  const dir = join(ctx.dir, 'clients')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `${hostname}.req.txt`)
  const args = ['client', '--state', join(dir, hostname), 'request', '--product', product, '--license', key, '--out', out, '--machine-id', hostname.toLowerCase()]
  uts ??= await run('unshare', ['--uts', '--map-root-user', 'true']).then(() => true, () => false)
  if (uts) await run('unshare', ['--uts', '--map-root-user', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, RPCTL, ...args], { env: ctx.env })
  else await rpctl(ctx.env, args, { json: false })
  return out
}

// api calls an operation from a page, in its session (its cookies).
function api(page, op, params = {}) {
  return page.evaluate(
    async ([o, p]) => {
      const res = await fetch(`/api/call/${o}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(p) })
      return res.json()
    },
    [op, params],
  )
}
async function must(page, op, params) {
  const r = await api(page, op, params)
  if (!r.ok) throw new Error(`${op}: ${JSON.stringify(r)}`)
  return r.data
}

async function customerPortalScreens() {
  const portal = await startPortal({
    seed: async (ctx) => {
      const s = await seedEnrolled({
        bundles: [
          { product: 'cad-pro', count: 12, activations: 3 },
          { product: 'viewer', count: 6, activations: 2 },
        ],
        customers: false,
      })(ctx)
      const cli = (...a) => rpctl(ctx.env, ['portal', '--db', ctx.db, ...a])
      await cli('settings', 'set', '--company', 'Acme Resellers GmbH')
      const keller = await cli('org', 'create', '--name', 'Keller Maschinenbau GmbH')
      const maria = await cli('user', 'create', '--name', 'Maria Keller', '--email', 'maria.keller@keller-maschinenbau.example', '--org', keller.id)
      const jonas = await cli('user', 'create', '--name', 'Jonas Weber', '--email', 'jonas.weber@keller-maschinenbau.example', '--org', keller.id)
      const studio = await cli('org', 'create', '--name', 'Lindqvist Architects')
      const sofia = await cli('user', 'create', '--name', 'Sofia Lindqvist', '--email', 'sofia@lindqvist-architects.example', '--org', studio.id)
      const cad = s.bundles[0].licenses.map((l) => l.key)
      const viewer = s.bundles[1].licenses.map((l) => l.key)
      for (const k of cad.slice(0, 2)) await cli('license', 'assign', k, '--user', maria.id)
      await cli('license', 'assign', cad[2], '--user', jonas.id)
      await cli('license', 'assign', viewer[0], '--user', sofia.id)
      // Each machine's request, made by the customer side.
      const req = {
        maria1: await machineRequest(ctx, { key: cad[0], hostname: 'KM-CAD-WS07' }),
        maria2: await machineRequest(ctx, { key: cad[1], hostname: 'KM-CAD-WS08' }),
        jonas: await machineRequest(ctx, { key: cad[2], hostname: 'KM-LAPTOP-JW' }),
        sofia: await machineRequest(ctx, { key: viewer[0], product: 'viewer', hostname: 'STUDIO-MAC-02' }),
      }
      return { maria, jonas, sofia, req }
    },
  })
  const adminBrowser = await launchBrowser()
  const customerBrowser = await launchBrowser()
  try {
    const { maria, jonas, sofia, req } = portal.seeded
    const admin = await adminBrowser.context.newPage()
    const customer = await customerBrowser.context.newPage()
    for (const p of [admin, customer]) {
      p.setDefaultTimeout(TIMEOUT)
      await p.emulateMedia({ colorScheme: 'light' })
    }
    await admin.setViewportSize({ width: 1280, height: 800 })
    await customer.setViewportSize({ width: 1280, height: 960 }) // the response's QR code in full
    await open(admin, portal.url, '/dashboard')
    await signIn(admin)
    const invite = async (user) => (await must(admin, 'customers.invite', { user: user.id })).code

    // Maria redeems her invitation and uploads her workstation's request.
    await open(customer, portal.url, '/my/licenses')
    await must(customer, 'customers.redeem', { code: await invite(maria), password: MARIA_PASSWORD })
    await open(customer, portal.url, '/my/activate')
    await customer.reload() // the app reads the new session
    await customer.getByRole('heading', { name: 'Activate a machine', level: 2 }).waitFor()
    const zone = customer.getByRole('group', { name: 'Drop zone for the activation request' })
    const [chooser] = await Promise.all([customer.waitForEvent('filechooser'), zone.getByRole('button', { name: 'Open file…' }).click()])
    await chooser.setFiles(req.maria1)
    await customer.getByTestId('my-preview').waitFor()
    await customer.getByRole('button', { name: 'Send for approval' }).waitFor()
    await shoot(customer, 'my-activate-preview')
    await customer.getByRole('button', { name: 'Send for approval' }).click()
    const link = customer.getByRole('link', { name: /^Open request R\d+$/ })
    await link.waitFor()
    const id = (await link.innerText()).match(/R\d+/)[0]

    // The admin approves it; Maria's request page has the response.
    await must(admin, 'requests.approve', { id })
    await open(customer, portal.url, `/my/requests/${id}`)
    await customer.getByRole('img', { name: /^QR code of the signed response/ }).waitFor()
    await shoot(customer, 'my-request-approved')

    // More requests wait: Maria's second workstation, Jonas's laptop, Sofia's Mac.
    await must(customer, 'my.activate', { text: readFileSync(req.maria2, 'utf8') })
    for (const [who, file] of [[jonas, req.jonas], [sofia, req.sofia]]) {
      await must(customer, 'customers.redeem', { code: await invite(who), password: `${who.name} ${PASSWORD}` })
      await must(customer, 'my.activate', { text: readFileSync(file, 'utf8') })
    }
    await open(admin, portal.url, '/requests')
    await admin.getByRole('link', { name: 'Requests, 3 waiting' }).waitFor()
    await admin.getByRole('link', { name: 'Sofia Lindqvist' }).waitFor()
    await shoot(admin, 'requests')

    // Immediate signing, unlocked for this server.
    await must(admin, 'signing.mode', { mode: 'immediate' })
    await must(admin, 'signing.unlock', { password: PASSWORD })
    await open(admin, portal.url, '/settings')
    const panel = admin.getByTestId('settings-signing')
    await panel.getByTestId('signing-state').getByText(/Unlocked by alice since/).waitFor()
    // the panel at the top of the main area, just under the header
    await panel.evaluate((el) => {
      let box = el.parentElement
      while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))) box = box.parentElement
      box ??= document.scrollingElement
      const top = box === document.scrollingElement ? (document.querySelector('header')?.getBoundingClientRect().bottom ?? 0) : box.getBoundingClientRect().top
      box.scrollBy(0, el.getBoundingClientRect().top - top - 20)
    })
    await shoot(admin, 'settings-signing')
  } finally {
    await customerBrowser.close()
    await adminBrowser.close()
    await portal.stop()
  }
}

if (!only || only === 'admin') await adminScreens()
if (!only || only === 'customer-portal') await customerPortalScreens()
