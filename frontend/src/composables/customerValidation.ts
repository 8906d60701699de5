// The checks the customer forms make before sending, mirroring the backend's
// (backend/portal/validate.go): the backend still decides, and its refusal is
// shown the same way. Each check answers an error code ('' when fine), the
// same code the backend would answer, so one locale entry explains both.

export const MAX_NAME = 200
export const MAX_EMAIL = 254

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

export function checkName(s: string): '' | 'required' | 'invalid_name' | 'name_too_long' {
  const v = s.trim()
  if (v === '') return 'required'
  if ([...v].length > MAX_NAME) return 'name_too_long'
  if (CONTROL.test(v)) return 'invalid_name'
  return ''
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/
const LOCAL = /^[^\s"(),:;<>@[\\\]]+$/

function validDomain(h: string): boolean {
  if (h === '' || h.length > 253 || !h.includes('.')) return false
  return h.split('.').every((l) => LABEL.test(l))
}

export function checkEmail(s: string): '' | 'required' | 'invalid_email' {
  const v = s.trim()
  if (v === '') return 'required'
  if (v.length > MAX_EMAIL || /\s/.test(v) || CONTROL.test(v)) return 'invalid_email'
  const at = v.lastIndexOf('@')
  if (at < 1) return 'invalid_email'
  const local = v.slice(0, at)
  // a quoted local part is rare; the backend judges it
  const localOk = local.startsWith('"') || (LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..'))
  if (!localOk || !validDomain(v.slice(at + 1))) return 'invalid_email'
  return ''
}
