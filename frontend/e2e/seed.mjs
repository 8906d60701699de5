// Seeding a portal through the real command line, as a publisher and a
// reseller would: `rpctl vendor` makes a publisher, products, a certificate
// and a bundle; `rpctl portal` sets up, enrolls and imports. Used by the
// browser tests before `rpctl portal serve` opens the database.
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { RPCTL } from './harness.mjs'

const run = promisify(execFile)

export const ADMIN = 'alice'
export const PASSWORD = 'correct horse battery'
export const RESELLER = 'Acme Resellers'

// rpctl runs one command and returns its parsed --json output (or stdout).
export async function rpctl(env, args, { json = true } = {}) {
  const { stdout } = await run(RPCTL, json ? [...args, '--json'] : args, {
    env: { ...env, RP_PASSWORD: PASSWORD },
    maxBuffer: 256 << 20,
  })
  return json ? JSON.parse(stdout) : stdout
}

// vendorSetup makes a publisher with two products in DIR/vendor.
export async function vendorSetup(env, dir) {
  const vdir = join(dir, 'vendor')
  await rpctl(env, ['vendor', 'init', '--dir', vdir], { json: false })
  await rpctl(env, ['vendor', 'product', 'add', '--dir', vdir, '--name', 'CAD Pro', '--id', 'cad-pro'])
  await rpctl(env, ['vendor', 'product', 'add', '--dir', vdir, '--name', 'Viewer', '--id', 'viewer'])
  return vdir
}

// certify turns an enrollment request file into a certificate file.
export async function certify(env, vdir, requestFile, out, products = 'cad-pro,viewer') {
  await rpctl(env, ['vendor', 'enroll', '--dir', vdir, '--request', requestFile, '--products', products, '--out', out], { json: false })
  return out
}

// allocate signs a bundle of count licenses; returns {bundle, licenses: [{key}]}.
export async function allocate(env, vdir, dir, { product = 'cad-pro', count = 10, activations = 2, expires, name } = {}) {
  const out = join(dir, name ?? `bundle-${product}-${count}.txt`)
  const args = ['vendor', 'allocate', '--dir', vdir, '--cert', join(dir, 'cert.txt'), '--product', product, '--count', String(count), '--activations', String(activations), '--out', out]
  if (expires) args.push('--expires', expires)
  const res = await rpctl(env, args)
  return { file: out, ...res }
}

// seedSetUp: an initialised portal (alice / PASSWORD), not enrolled.
export function seedSetUp() {
  return async ({ dir, db, env }) => {
    await rpctl(env, ['portal', '--db', db, '--admin', ADMIN, 'init', '--reseller', RESELLER])
    const vdir = await vendorSetup(env, dir)
    return { vdir }
  }
}

// seedEnrolled: set up, enrolled for both products, and the given bundles
// imported (default one bundle of 30 cad-pro and one of 12 viewer licenses).
export function seedEnrolled({ bundles = [{ product: 'cad-pro', count: 30 }, { product: 'viewer', count: 12, expires: soon(20) }], customers = true } = {}) {
  return async ({ dir, db, env }) => {
    const portal = (...a) => rpctl(env, ['portal', '--db', db, ...a])
    await portal('--admin', ADMIN, 'init', '--reseller', RESELLER)
    const vdir = await vendorSetup(env, dir)
    const req = join(dir, 'enroll-request.txt')
    await rpctl(env, ['portal', '--db', db, 'enroll', 'request', '--out', req], { json: false })
    await certify(env, vdir, req, join(dir, 'cert.txt'))
    await rpctl(env, ['portal', '--db', db, 'enroll', 'complete', '--cert', join(dir, 'cert.txt')], { json: false })
    const imported = []
    for (const b of bundles) {
      const res = await allocate(env, vdir, dir, b)
      await rpctl(env, ['portal', '--db', db, 'license', 'import', res.file], { json: false })
      imported.push(res)
    }
    const made = {}
    if (customers) {
      made.org = await portal('org', 'create', '--name', 'Globex Corporation')
      made.bob = await portal('user', 'create', '--name', 'Bob Builder', '--email', 'bob@globex.example', '--org', made.org.id)
      made.carol = await portal('user', 'create', '--name', 'Carol Jones', '--email', 'carol@example.com')
    }
    return { vdir, bundles: imported, ...made }
  }
}

// soon returns the date n days from now as YYYY-MM-DD.
export function soon(n) {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10)
}

// writeText writes a file in dir and returns its path.
export function writeText(dir, name, text) {
  mkdirSync(dir, { recursive: true })
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
