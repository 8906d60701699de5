// Settings: the checks made before sending (logo, domain, passwords, admin
// names, backups), the backup file name, the team URL, and the stores'
// flows (branding refreshed after a change; sign-in after a restore).
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setFiles, setTransport, type Files } from '../src/api'
import { checkLogo, domainState, imageInfo, MAX_LOGO_BYTES, serveCommand, servedURL, useSettingsStore, validDomain } from '../src/stores/settings'
import { adminNameProblem, passwordProblem, useAdminsStore } from '../src/stores/admins'
import { backupFileName, checkBackup, MAX_BACKUP_TRANSFER, useBackupStore } from '../src/stores/backup'
import { useBrandingStore } from '../src/stores/branding'
import { useSessionStore } from '../src/stores/session'
import { FakeTransport } from './fake'

function png(width: number, height: number, extra = 0): Uint8Array {
  const b = new Uint8Array(33 + extra)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const v = new DataView(b.buffer)
  v.setUint32(16, width)
  v.setUint32(20, height)
  return b
}

function jpeg(width: number, height: number): Uint8Array {
  // SOI, an APP0 segment, then SOF0 with the size
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 0, 0, 0])
}

describe('logo checks', () => {
  it('reads the declared size of PNG and JPEG headers', () => {
    expect(imageInfo(png(64, 32))).toEqual({ type: 'image/png', width: 64, height: 32 })
    expect(imageInfo(jpeg(300, 200))).toEqual({ type: 'image/jpeg', width: 300, height: 200 })
    expect(imageInfo(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(imageInfo(new Uint8Array([0xff, 0xd8]))).toBeNull()
  })

  it('refuses what the backend refuses, before sending', () => {
    expect(checkLogo(png(64, 64)).ok).toBe(true)
    expect(checkLogo(png(4096, 4096)).ok).toBe(true)
    expect(checkLogo(png(4097, 10))).toEqual({ ok: false, code: 'logo_dimensions' })
    expect(checkLogo(jpeg(20000, 20000))).toEqual({ ok: false, code: 'logo_dimensions' })
    expect(checkLogo(png(0, 10))).toEqual({ ok: false, code: 'logo_format' })
    expect(checkLogo(new TextEncoder().encode('GIF89a........................'))).toEqual({ ok: false, code: 'logo_format' })
    expect(checkLogo(png(10, 10, MAX_LOGO_BYTES))).toEqual({ ok: false, code: 'logo_too_large' })
  })
})

describe('custom domain', () => {
  it('accepts host names and nothing else', () => {
    for (const d of ['', 'portal.example.com', 'Portal.Example.COM.', 'a-b.c1.example', 'localhost']) expect(validDomain(d), d).toBe(true)
    for (const d of ['portal', 'http://portal.example.com', 'portal.example.com:8443', '-a.example', 'a..b', 'a b.example', 'x'.repeat(64) + '.example'])
      expect(validDomain(d), d).toBe(false)
  })

  it('gives the URL the team would use', () => {
    const info = { serving: true, tls: false, proxy_tls: false, domain: 'portal.example.com', port: 8080 }
    expect(servedURL('portal.example.com', info)).toBe('http://portal.example.com:8080')
    expect(servedURL('portal.example.com', { ...info, port: 80 })).toBe('http://portal.example.com')
    expect(servedURL('portal.example.com', { ...info, tls: true, port: 443 })).toBe('https://portal.example.com')
    expect(servedURL('portal.example.com', { ...info, tls: true, port: 8443 })).toBe('https://portal.example.com:8443')
    expect(servedURL('portal.example.com', { ...info, proxy_tls: true })).toBe('https://portal.example.com')
    expect(servedURL('portal.example.com', { ...info, serving: false })).toBeNull()
    expect(servedURL('portal.example.com', null)).toBeNull()
  })

  it('says whether the domain is served now', () => {
    const info = { serving: true, tls: true, proxy_tls: false, domain: 'portal.example.com', port: 443 }
    expect(domainState('portal.example.com', info)).toBe('serving')
    expect(domainState('Portal.Example.com', info)).toBe('serving')
    expect(domainState('new.example.com', info)).toBe('restart')
    expect(domainState('', info)).toBe('none')
    expect(domainState('portal.example.com', { ...info, serving: false })).toBe('desktop')
    expect(serveCommand('portal.example.com')).toContain('--allow-host portal.example.com')
  })
})

describe('password and name checks', () => {
  it('catches a mismatch and a short password before sending', () => {
    expect(passwordProblem({ current: 'old password', next: 'new password', confirm: 'new password' })).toBeNull()
    expect(passwordProblem({ current: 'old password', next: 'new password', confirm: 'new passwort' })).toBe('mismatch')
    expect(passwordProblem({ current: 'old password', next: 'short', confirm: 'short' })).toBe('too_short')
    expect(passwordProblem({ current: '', next: 'new password', confirm: 'new password' })).toBe('required')
    expect(passwordProblem({ current: 'same password', next: 'same password', confirm: 'same password' })).toBe('same')
    expect(passwordProblem({ next: 'äöüßäöüß', confirm: 'äöüßäöüß' })).toBeNull() // 8 characters, not bytes
    expect(passwordProblem({ next: '', confirm: '' })).toBe('required')
  })

  it('checks an admin name', () => {
    expect(adminNameProblem('bob')).toBeNull()
    expect(adminNameProblem('  ')).toBe('required')
    expect(adminNameProblem('bo b')).toBe('invalid')
    expect(adminNameProblem('x'.repeat(65))).toBe('invalid')
  })
})

describe('backup', () => {
  it('names the file portal-backup-YYYYMMDD-HHMM.db (local time)', () => {
    expect(backupFileName(new Date(2026, 0, 5, 7, 3, 59))).toBe('portal-backup-20260105-0703.db')
    expect(backupFileName(new Date(2026, 11, 31, 23, 59))).toBe('portal-backup-20261231-2359.db')
  })

  it('refuses what cannot be uploaded', () => {
    expect(checkBackup(new Uint8Array(16384))).toBeNull()
    expect(checkBackup(new Uint8Array(100))).toBe('invalid_backup')
    expect(checkBackup({ length: MAX_BACKUP_TRANSFER + 1 } as Uint8Array)).toBe('file_too_large')
  })
})

describe('stores', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    setTransport(fake)
  })

  it('refreshes the branding (header) after a settings change', async () => {
    let company = 'Acme'
    fake.on('settings.update', (p) => {
      company = (p as { company: string }).company
      return { ok: true, data: { company, domain: '' } }
    })
    fake.on('branding', () => ({ ok: true, data: { company, domain: '', logo_type: '', logo: null } }))
    const r = await useSettingsStore().update({ company: 'Acme GmbH' })
    expect(r.ok).toBe(true)
    expect(useBrandingStore().company).toBe('Acme GmbH')
    expect(fake.ops()).toEqual(['settings.update', 'branding'])
  })

  it('sends the caller own password with the new admin, and the own name when changing a password', async () => {
    const session = useSessionStore()
    session.status = { initialized: true, reseller_name: 'Acme', enrolled: true, signed_in: true, admin: 'alice' }
    fake.on('admins.add', () => ({ ok: true, data: { name: 'bob', role: 'reseller-admin', locked: false, created: '2026-01-01T00:00:00Z' } }))
    fake.on('admins.list', () => ({ ok: true, data: [] }))
    fake.on('admins.passwd', () => ({ ok: true, data: null }))
    const admins = useAdminsStore()
    await admins.add(' bob ', 'bobs password', 'alices password')
    await admins.changeOwn('alices password', 'new password!')
    expect(fake.calls[0].params).toEqual({ name: 'bob', password: 'alices password', new_password: 'bobs password' })
    expect(fake.calls[2].params).toEqual({ name: 'alice', password: 'alices password', new_password: 'new password!' })
  })

  it('after a restore, lands on sign-in and says why', async () => {
    const session = useSessionStore()
    session.status = { initialized: true, reseller_name: 'Acme', enrolled: true, signed_in: true, admin: 'alice' }
    fake.on('backup.upload', () => ({ ok: true, data: null }))
    fake.on('status', () => ({ ok: true, data: { initialized: true, reseller_name: 'Acme', enrolled: true, signed_in: false, admin: '' } }))
    fake.on('branding', () => ({ ok: true, data: { company: '', domain: '', logo_type: '', logo: null } }))
    const r = await useBackupStore().restore(new Uint8Array(16384))
    expect(r.ok).toBe(true)
    expect(session.screen).toBe('signin')
    expect(session.problem?.code).toBe('restored')
    expect(session.lastAdmin).toBe('')
    expect((fake.calls[0].params as { data: string }).data.length).toBe(21848) // base64 of 16 KiB
  })

  it('saves a backup under the suggested name through the file host', async () => {
    fake.on('backup.download', () => ({ ok: true, data: { name: 'portal-backup-20260101-000000.db', data: btoa('x'.repeat(5000)) } }))
    const saved: { name: string; size: number }[] = []
    setFiles({
      saveFile: async (_t: string, name: string, content: Uint8Array) => {
        saved.push({ name, size: content.length })
        return { ok: true, data: { path: `/tmp/${name}` } }
      },
    } as unknown as Files)
    const r = await useBackupStore().save('Save', new Date(2026, 2, 4, 9, 30))
    setFiles(null)
    expect(r).toEqual({ ok: true, data: { path: '/tmp/portal-backup-20260304-0930.db', bytes: 5000 } })
    expect(saved).toEqual([{ name: 'portal-backup-20260304-0930.db', size: 5000 }])
  })
})
