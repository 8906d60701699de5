// The portal's settings (company, logo, custom domain) and how this process
// serves the portal (server.info); every change refreshes the branding
// store, so the header and the sign-in screen show it at once.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, files, toBase64, type Reply, type ServerInfo, type Settings, type SettingsUpdate } from '../api'
import { useBrandingStore } from './branding'

export const MAX_LOGO_BYTES = 512 << 10 // portal.MaxLogoSize
export const MAX_LOGO_SIDE = 4096 // portal.MaxLogoSide

export interface ImageInfo {
  type: 'image/png' | 'image/jpeg'
  width: number
  height: number
}

// imageInfo reads the type and the declared size from a PNG or JPEG header
// (null: neither, or a header too short to say).
export function imageInfo(b: Uint8Array): ImageInfo | null {
  const u32 = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (b.length >= 24 && png.every((v, i) => b[i] === v)) {
    return { type: 'image/png', width: u32(16), height: u32(20) }
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // walk the segments to the first start-of-frame marker
    let i = 2
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null
      const m = b[i + 1]
      if (m === 0xff) {
        i++
        continue
      }
      const len = (b[i + 2] << 8) | b[i + 3]
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { type: 'image/jpeg', height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] }
      }
      if (len < 2) return null
      i += 2 + len
    }
  }
  return null
}

export type LogoRefusal = 'logo_format' | 'logo_too_large' | 'logo_dimensions'

// checkLogo is the backend's logo rule, checked before sending: PNG or JPEG,
// at most 512 KiB, at most 4096×4096 as declared by the header.
export function checkLogo(b: Uint8Array): { ok: true; info: ImageInfo } | { ok: false; code: LogoRefusal } {
  if (b.length > MAX_LOGO_BYTES) return { ok: false, code: 'logo_too_large' }
  const info = imageInfo(b)
  if (!info || info.width < 1 || info.height < 1) return { ok: false, code: 'logo_format' }
  if (info.width > MAX_LOGO_SIDE || info.height > MAX_LOGO_SIDE) return { ok: false, code: 'logo_dimensions' }
  return { ok: true, info }
}

// validDomain mirrors the backend's host-name rule closely enough to catch
// typing mistakes before sending (the backend decides: invalid_domain).
export function validDomain(d: string): boolean {
  const s = d.trim().toLowerCase().replace(/\.$/, '')
  if (s === '') return true // no custom domain
  if (s.length > 253 || (!s.includes('.') && s !== 'localhost')) return false
  return s.split('.').every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l))
}

// servedURL is the address a team would type: https for TLS (here or at a
// proxy in front), the port unless it is the scheme's default. null when
// this process does not serve the portal (the desktop window).
export function servedURL(host: string, info: ServerInfo | null): string | null {
  if (!info?.serving || !host) return null
  if (info.proxy_tls) return `https://${host}`
  const scheme = info.tls ? 'https' : 'http'
  const dflt = info.tls ? 443 : 80
  return `${scheme}://${host}${info.port && info.port !== dflt ? `:${info.port}` : ''}`
}

// domainState: is the configured domain served now? ("restart": set after
// serve started, which reads it at start.)
export type DomainState = 'none' | 'desktop' | 'serving' | 'restart'
export function domainState(domain: string, info: ServerInfo | null): DomainState {
  if (!info?.serving) return 'desktop'
  if (!domain) return 'none'
  return info.domain.toLowerCase() === domain.toLowerCase() ? 'serving' : 'restart'
}

// serveCommand is the command that serves the portal for a team on domain.
export function serveCommand(domain: string): string {
  const host = domain || 'portal.example.com'
  return `rpctl portal serve --addr 0.0.0.0:443 --tls-cert cert.pem --tls-key key.pem --allow-host ${host}`
}

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const server = ref<ServerInfo | null>(null)
  const loading = ref(false)

  async function load(): Promise<Reply<Settings>> {
    loading.value = true
    try {
      const [r, info] = await Promise.all([call('settings.get'), call('server.info')])
      if (r.ok && r.data) settings.value = r.data
      if (info.ok && info.data) server.value = info.data
      return r
    } finally {
      loading.value = false
    }
  }

  async function update(up: SettingsUpdate): Promise<Reply<Settings>> {
    const r = await call('settings.update', up)
    if (r.ok && r.data) {
      settings.value = r.data
      await useBrandingStore().load()
    }
    return r
  }

  const setLogo = (bytes: Uint8Array) => update({ logo: toBase64(bytes), set_logo: true })
  const removeLogo = () => update({ set_logo: true })

  // pickLogo opens the open dialog (native in the window, a file input in
  // the browser); a cancelled dialog is ok with no bytes.
  const pickLogo = (title: string, filterName: string) => files().openFile(title, { name: filterName, patterns: ['*.png', '*.jpg', '*.jpeg'] })

  return { settings, server, loading, load, update, setLogo, removeLogo, pickLogo }
})
