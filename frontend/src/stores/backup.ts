// Backup and restore. One code path in the window and the browser: the
// backup is backup.download's bytes, saved through the save dialog (native
// in the window, a download in the browser); a restore is a file opened
// (native dialog, or file input) and sent with backup.upload. Over HTTP no
// operation takes a path; the window could, but the byte forms keep one
// path at the cost of the 64 MiB transfer cap (back a larger database up
// with `rpctl portal backup`).
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, files, fromBase64, toBase64, type Reply } from '../api'
import { useBrandingStore } from './branding'
import { useSessionStore } from './session'

export const MAX_BACKUP_TRANSFER = 64 << 20 // portal.MaxBackupTransfer

const pad = (n: number) => String(n).padStart(2, '0')

// backupFileName is the suggested name of a backup made at d (local time):
// portal-backup-YYYYMMDD-HHMM.db
export function backupFileName(d: Date): string {
  return `portal-backup-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}.db`
}

// checkBackup refuses, before sending, what cannot be a backup to upload.
export function checkBackup(b: Uint8Array): 'file_too_large' | 'invalid_backup' | null {
  if (b.length > MAX_BACKUP_TRANSFER) return 'file_too_large'
  // a portal database is several 4 KiB pages; the backend checks it fully
  if (b.length < 4096) return 'invalid_backup'
  return null
}

export const useBackupStore = defineStore('backup', () => {
  const busy = ref(false)

  // save downloads the database and saves it; the reply names where (or
  // null data when the dialog was cancelled).
  async function save(title: string, now = new Date()): Promise<Reply<{ path: string; bytes: number } | null>> {
    busy.value = true
    try {
      const r = await call('backup.download')
      if (!r.ok || !r.data) return { ok: false, code: r.code ?? 'internal', message: r.message ?? '' }
      const bytes = fromBase64(r.data.data)
      const s = await files().saveFile(title, backupFileName(now), bytes)
      if (!s.ok) return { ok: false, code: s.code ?? 'file_unwritable', message: s.message ?? '' }
      return { ok: true, data: s.data ? { path: s.data.path, bytes: bytes.length } : null }
    } finally {
      busy.value = false
    }
  }

  // pick opens a backup file (null: cancelled).
  async function pick(title: string, filterName: string): Promise<Reply<{ name: string; content: Uint8Array } | null>> {
    const r = await files().openFile(title, { name: filterName, patterns: ['*.db', '*'] })
    if (!r.ok) return { ok: false, code: r.code ?? 'file_unreadable', message: r.message ?? '' }
    if (!r.data) return { ok: true, data: null }
    const bad = checkBackup(r.data.content)
    if (bad) return { ok: false, code: bad, message: r.data.name }
    return r
  }

  // restore replaces the whole database with the backup: every session
  // ends, so the window goes to sign-in and says why.
  async function restore(content: Uint8Array): Promise<Reply<null>> {
    busy.value = true
    try {
      const r = await call('backup.upload', { data: toBase64(content) })
      if (r.ok) {
        const session = useSessionStore()
        await session.refresh()
        session.problem = { code: 'restored', message: '' }
        session.lastAdmin = '' // the backup's accounts replaced this portal's
        void useBrandingStore().load()
      }
      return r
    } finally {
      busy.value = false
    }
  }

  return { busy, save, pick, restore }
})
