import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ACTIVITY_EVENTS, watchIdle } from '../src/stores/idle'
import { setTransport, type Status } from '../src/api'
import { useSessionStore } from '../src/stores/session'
import { FakeTransport } from './fake'

// CountingTarget is an EventTarget that counts its listeners.
class CountingTarget extends EventTarget {
  listeners = 0
  addEventListener(type: string, cb: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean) {
    this.listeners++
    super.addEventListener(type, cb, o)
  }
  removeEventListener(type: string, cb: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean) {
    this.listeners--
    super.removeEventListener(type, cb, o)
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  setTransport(null)
})

describe('watchIdle', () => {
  it('fires once after the idle time without input', () => {
    const target = new CountingTarget()
    const onIdle = vi.fn()
    watchIdle(target, 1000, onIdle)
    vi.advanceTimersByTime(999)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(5000)
    expect(onIdle).toHaveBeenCalledTimes(1)
    expect(target.listeners).toBe(0)
  })

  it('is postponed by every kind of input', () => {
    const target = new CountingTarget()
    const onIdle = vi.fn()
    watchIdle(target, 1000, onIdle)
    for (const e of ACTIVITY_EVENTS) {
      vi.advanceTimersByTime(900)
      target.dispatchEvent(new Event(e))
    }
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  it('stop removes every listener and never fires', () => {
    const target = new CountingTarget()
    const onIdle = vi.fn()
    const t = watchIdle(target, 1000, onIdle)
    expect(target.listeners).toBe(ACTIVITY_EVENTS.length)
    t.stop()
    expect(target.listeners).toBe(0)
    target.dispatchEvent(new Event('keydown'))
    vi.advanceTimersByTime(10_000)
    expect(onIdle).not.toHaveBeenCalled()
  })
})

describe('session lock', () => {
  it('signs out and says why on the sign-in form', async () => {
    setActivePinia(createPinia())
    const ready: Status = { initialized: true, reseller_name: 'Acme', enrolled: false, admins: ['alice'], signed_in: false, admin: '' }
    let status: Status = { ...ready, signed_in: true, admin: 'alice' }
    const fake = new FakeTransport()
      .on('status', () => ({ ok: true, data: status }))
      .on('signout', () => {
        status = ready
        return { ok: true }
      })
    setTransport(fake)
    const s = useSessionStore()
    await s.refresh()
    expect(s.screen).toBe('home')
    await s.lock()
    expect(fake.ops()).toEqual(['status', 'signout', 'status'])
    expect(s.screen).toBe('signin')
    expect(s.problem).toEqual({ code: 'idle_locked', message: '' })
  })
})
