// Picks the transport on first use: the Wails binding inside the desktop
// window, HTTP (serve mode) in a browser.
import { HttpTransport } from './http'
import type { Transport } from './transport'
import { WailsTransport, inDesktop } from './wails'

let current: Transport | null = null

// transport returns the transport in use, choosing it on first call.
export function transport(): Transport {
  if (current === null) {
    current = inDesktop() ? new WailsTransport() : new HttpTransport()
  }
  return current
}

// setTransport replaces the transport (tests pass a fake; null re-detects).
export function setTransport(t: Transport | null): void {
  current = t
}
