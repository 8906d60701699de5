// The German UI on a de-DE browser: setup and sign-in in German, then the
// dashboard and navigation, dates in German format; the Language / Sprache
// switch changes to English and the choice survives a reload; axe-core on the
// German screens; no console errors or CSP violations.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startPortal } from './harness.mjs'
import { axe, open, shot, watch, TIMEOUT } from './pages.mjs'
import { ADMIN, PASSWORD, RESELLER, seedEnrolled } from './seed.mjs'

const GERMAN_DATE = /\b\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}\b/

async function signInDe(page) {
  await page.getByTestId('signin').waitFor()
  await page.getByLabel(/^Administrator/).fill(ADMIN)
  await page.getByLabel(/^Passwort/).fill(PASSWORD)
  await page.getByRole('button', { name: 'Anmelden' }).click()
  await page.getByTestId('signed-in-as').waitFor()
}

describe('German on a de-DE browser: first run', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal()
    browser = await launchBrowser({ locale: 'de-DE' })
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('shows the setup in German, with <html lang="de">', async () => {
    await page.goto(portal.url)
    await page.getByTestId('setup').waitFor()
    await page.getByRole('heading', { name: 'Portal einrichten' }).waitFor()
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de')
    assert.equal(await page.getByLabel('Language / Sprache').inputValue(), 'de')
    await page.getByRole('button', { name: 'Händler anlegen' }).waitFor()
    await axe(page, 'setup (de)')
    await shot(page, 'de-setup.png')
  })

  it('explains a refusal in German', async () => {
    await page.locator('#setup-reseller').fill(RESELLER)
    await page.locator('#setup-admin').fill(ADMIN)
    await page.locator('#setup-password').fill('kurz')
    await page.locator('#setup-confirm').fill('kurz')
    await page.getByTestId('setup-submit').click()
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    assert.equal((await problem.innerText()).trim(), 'Das Passwort muss mindestens 8 Zeichen lang sein.')
  })

  it('sets up, then shows the dashboard and the navigation in German', async () => {
    await page.locator('#setup-password').fill(PASSWORD)
    await page.locator('#setup-confirm').fill(PASSWORD)
    await page.getByTestId('setup-submit').click()
    assert.equal((await page.getByTestId('signed-in-as').innerText()).trim(), `Angemeldet als ${ADMIN}`)
    await page.getByRole('heading', { name: 'Übersicht', level: 2 }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Hauptmenü' })
    for (const name of ['Übersicht', 'Aktivieren', 'Deaktivieren', 'Stapel (USB-Stick)', 'Aktivierungen', 'Lizenzen', 'Kunden', 'Registrierung']) {
      await nav.getByRole('link', { name, exact: true }).waitFor()
    }
    await page.getByTestId('banner-not-enrolled').getByRole('link', { name: 'Jetzt registrieren' }).waitFor()
    await page.getByTestId('next-steps').getByText('Beim Herausgeber registrieren').waitFor()
    await page.getByRole('button', { name: 'Sperren' }).waitFor()
    await axe(page, 'dashboard (de)')
    await shot(page, 'de-dashboard-new.png')
  })

  it('fits the German navigation into the side bar', async () => {
    const nav = page.getByRole('navigation', { name: 'Hauptmenü' })
    const overflow = await nav.evaluate((el) =>
      [...el.querySelectorAll('a')].filter((a) => a.scrollWidth > a.clientWidth + 1).map((a) => a.textContent.trim()),
    )
    assert.deepEqual(overflow, [])
  })

  it('had no console errors and no CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})

describe('German on a de-DE browser: an enrolled portal and the switch', () => {
  let portal
  let browser
  let page
  let seen

  before(async () => {
    portal = await startPortal({ seed: seedEnrolled() })
    browser = await launchBrowser({ locale: 'de-DE' })
    page = await browser.context.newPage()
    page.setDefaultTimeout(TIMEOUT)
    seen = await watch(page)
  })

  after(async () => {
    await browser?.close()
    await portal?.stop()
  })

  it('signs in in German', async () => {
    await page.goto(portal.url)
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    await page.getByText(`Melden Sie sich als Administrator von ${RESELLER} an.`).waitFor()
    await axe(page, 'sign-in (de)')
    await shot(page, 'de-signin.png')
    await signInDe(page)
  })

  it('shows dates and numbers in German format', async () => {
    await page.getByRole('heading', { name: 'Übersicht', level: 2 }).waitFor()
    const cert = page.getByTestId('cert-expiry')
    await cert.getByText(/Gültig bis/).waitFor()
    assert.match(await cert.innerText(), GERMAN_DATE)
    const expiring = page.getByTestId('expiring')
    await expiring.waitFor()
    assert.match(await expiring.innerText(), GERMAN_DATE)
    await page.getByText('42 Lizenzen insgesamt').waitFor()
    await axe(page, 'dashboard (de, enrolled)')
    await shot(page, 'de-dashboard.png')
  })

  it('shows the licenses in German', async () => {
    await open(page, portal.url, '/licenses')
    await page.getByRole('heading', { name: 'Lizenzen', level: 2 }).waitFor()
    await page.getByRole('columnheader', { name: 'Lizenzschlüssel' }).waitFor()
    await page.getByRole('button', { name: 'Als CSV exportieren…' }).waitFor()
    await page.waitForTimeout(300)
    await axe(page, 'licenses (de)')
    await shot(page, 'de-licenses.png')
  })

  it('switches to English with the switch, and keeps it across a reload', async () => {
    await page.getByRole('button', { name: 'Abmelden' }).click()
    await page.getByTestId('signin').waitFor()
    await page.getByLabel('Language / Sprache').selectOption('en')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
    assert.equal(await page.evaluate(() => localStorage.getItem('rp.locale')), 'en')
    await page.reload()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    assert.equal(await page.getByLabel('Language / Sprache').inputValue(), 'en')
    await page.getByLabel(/^Password/).fill(PASSWORD)
    await page.getByLabel(/^Administrator/).fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByTestId('signed-in-as').waitFor()
    await open(page, portal.url, '/dashboard')
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor()
    assert.match(await page.getByTestId('cert-expiry').innerText(), /Valid until [A-Z][a-z]{2} \d{1,2}, \d{4}/)
  })

  it('goes back to German with the switch', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Language / Sprache').selectOption('de')
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
  })

  it('had no console errors and no CSP violations', () => {
    assert.deepEqual(seen.violations, [])
    assert.deepEqual(seen.errors, [])
  })
})
