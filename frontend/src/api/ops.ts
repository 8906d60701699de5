// The one typed table of portal operations: op name → params → data. A call
// site cannot misspell an op or a field; tests/ops.test.ts compares the table
// with ops.json, which a Go test writes from the real dispatcher.
import { transport } from './client'
import type { Reply } from './transport'
import type * as T from './types'

type None = Record<string, never>

export interface Ops {
  status: { params: None; data: T.Status }
  setup: { params: { reseller: string; admin: string; password: string }; data: T.Status }
  signin: { params: { admin: string; password: string }; data: T.Status }
  signout: { params: None; data: T.Status }
  branding: { params: None; data: T.Branding }
  dashboard: { params: None; data: T.Dashboard }
  'enroll.request': { params: None; data: T.Document }
  'enroll.complete': { params: T.DocParams; data: T.Enrollment }
  'enroll.status': { params: None; data: T.Enrollment }
  'licenses.import': { params: T.DocParams; data: T.ImportResult }
  'licenses.list': { params: T.LicenseQuery; data: T.LicensePage }
  'licenses.show': { params: { key: string }; data: T.LicenseDetail }
  'licenses.assign': { params: { key: string; user?: string; org?: string }; data: T.License }
  'licenses.revoke': { params: { key: string }; data: T.License }
  'licenses.export_csv': { params: None; data: T.CSV }
  'users.list': { params: T.UserQuery; data: T.User[] }
  'users.get': { params: { id: string }; data: T.User }
  'users.create': { params: T.UserInput; data: T.User }
  'users.update': { params: T.UserUpdate; data: T.User }
  'users.delete': { params: { id: string; revoke?: boolean }; data: null }
  'orgs.list': { params: None; data: T.Org[] }
  'orgs.get': { params: { id: string }; data: T.Org }
  'orgs.create': { params: { name: string }; data: T.Org }
  'orgs.update': { params: { id: string; name: string }; data: T.Org }
  'orgs.delete': { params: { id: string; revoke?: boolean }; data: null }
  'activations.list': { params: T.ActivationQuery; data: T.Activation[] }
  'audit.list': { params: T.AuditQuery; data: T.AuditPage }
  'audit.actions': { params: None; data: string[] }
  'audit.verify': { params: None; data: T.AuditVerification }
  'settings.get': { params: None; data: T.Settings }
  'settings.update': { params: T.SettingsUpdate; data: T.Settings }
  'admins.list': { params: None; data: T.AdminInfo[] }
  'admins.add': { params: { name: string; password: string; new_password: string }; data: T.AdminInfo }
  'admins.remove': { params: { name: string }; data: null }
  'admins.passwd': { params: { name: string; password: string; new_password: string }; data: null }
  'backup.create': { params: { path: string; replace?: boolean }; data: T.BackupResult }
  'backup.restore': { params: { path: string }; data: null }
  'backup.download': { params: None; data: T.BackupFile }
  'backup.upload': { params: { data: string }; data: null }
  'server.info': { params: None; data: T.ServerInfo }
  version: { params: None; data: { version: string; commit: string } }
  'qr.encode': { params: { text: string }; data: T.QRImage }
  'qr.decode': { params: { image: string }; data: { text: string } }
  'activation.preview': { params: T.DocParams; data: T.Preview }
  'activation.activate': { params: T.DocParams; data: T.ActivationResult }
  'activation.deactivate': { params: T.DocParams; data: T.Activation }
  'activation.batch': { params: { path?: string; files?: T.BatchFile[] }; data: T.BatchResult }
  'activation.sheet': { params: { activation: string; request?: string }; data: T.Sheet }
  'activations.export_csv': { params: None; data: T.CSV }
  'report.create': { params: None; data: T.ReportResult }
  'demo.start': { params: None; data: T.Status }
  'demo.leave': { params: None; data: T.Status }
  'demo.sample': { params: None; data: T.DemoSample }
  'customers.invite': { params: { user: string }; data: T.Invitation }
  'customers.account': { params: { user: string }; data: T.CustomerAccount }
  'customers.disable': { params: { user: string }; data: T.CustomerAccount }
  'customers.enable': { params: { user: string }; data: T.CustomerAccount }
  'customers.manager': { params: { user: string; manager: boolean }; data: T.CustomerAccount }
  'customers.redeem': { params: { code: string; password: string }; data: T.Status }
  'customers.signin': { params: { email: string; password: string }; data: T.Status }
  'my.licenses': { params: { offset?: number; limit?: number }; data: T.MyLicensePage }
  'my.license': { params: { key: string }; data: T.MyLicenseDetail }
  'my.passwd': { params: { password: string; new_password: string }; data: null }
  'my.activation.preview': { params: T.DocParams; data: T.MyPreview }
  'my.activate': { params: T.DocParams; data: T.CustomerRequest }
  'my.requests': { params: { offset?: number; limit?: number }; data: T.RequestPage }
  'my.request': { params: { id: string; qr?: boolean }; data: T.CustomerRequest }
  'my.request.sheet': { params: { id: string }; data: T.Sheet }
  'my.deactivation.preview': { params: T.DocParams; data: T.MyDeactivation }
  'my.deactivate': { params: T.DocParams; data: T.MyDeactivation }
  'requests.list': { params: T.RequestQuery; data: T.RequestPage }
  'requests.approve': { params: { id: string; qr?: boolean }; data: T.CustomerRequest }
  'requests.reject': { params: { id: string; reason: string }; data: T.CustomerRequest }
  'signing.status': { params: None; data: T.SigningState }
  'signing.mode': { params: { mode: T.SigningMode }; data: T.SigningState }
  'signing.unlock': { params: { password: string }; data: T.SigningState }
  'signing.lock': { params: None; data: T.SigningState }
}

export type OpName = keyof Ops
export type ParamsOf<K extends OpName> = Ops[K]['params']
export type DataOf<K extends OpName> = Ops[K]['data']

// The params field names of each op in the table above, for the test that
// compares them with the Go structs (ops.json). Keep in step with Ops.
export const OP_FIELDS: { [K in OpName]: (keyof ParamsOf<K> & string)[] } = {
  status: [],
  setup: ['reseller', 'admin', 'password'],
  signin: ['admin', 'password'],
  signout: [],
  branding: [],
  dashboard: [],
  'enroll.request': [],
  'enroll.complete': ['text', 'image', 'qr'],
  'enroll.status': [],
  'licenses.import': ['text', 'image', 'qr'],
  'licenses.list': ['status', 'search', 'customer', 'product', 'sort', 'offset', 'limit'],
  'licenses.show': ['key'],
  'licenses.assign': ['key', 'user', 'org'],
  'licenses.revoke': ['key'],
  'licenses.export_csv': [],
  'users.list': ['org', 'search', 'offset', 'limit'],
  'users.get': ['id'],
  'users.create': ['name', 'email', 'org'],
  'users.update': ['id', 'name', 'email', 'org'],
  'users.delete': ['id', 'revoke'],
  'orgs.list': [],
  'orgs.get': ['id'],
  'orgs.create': ['name'],
  'orgs.update': ['id', 'name'],
  'orgs.delete': ['id', 'revoke'],
  'activations.list': ['license', 'customer', 'status', 'from', 'to', 'offset', 'limit'],
  'audit.list': ['action', 'actor', 'before', 'offset', 'limit'],
  'audit.actions': [],
  'audit.verify': [],
  'settings.get': [],
  'settings.update': ['company', 'domain', 'logo', 'set_logo'],
  'admins.list': [],
  'admins.add': ['name', 'password', 'new_password'],
  'admins.remove': ['name'],
  'admins.passwd': ['name', 'password', 'new_password'],
  'backup.create': ['path', 'replace'],
  'backup.restore': ['path'],
  'backup.download': [],
  'backup.upload': ['data'],
  'server.info': [],
  version: [],
  'qr.encode': ['text'],
  'qr.decode': ['image'],
  'activation.preview': ['text', 'image', 'qr'],
  'activation.activate': ['text', 'image', 'qr'],
  'activation.deactivate': ['text', 'image', 'qr'],
  'activation.batch': ['path', 'files'],
  'activation.sheet': ['activation', 'request'],
  'activations.export_csv': [],
  'report.create': [],
  'demo.start': [],
  'demo.leave': [],
  'demo.sample': [],
  'customers.invite': ['user'],
  'customers.account': ['user'],
  'customers.disable': ['user'],
  'customers.enable': ['user'],
  'customers.manager': ['user', 'manager'],
  'customers.redeem': ['code', 'password'],
  'customers.signin': ['email', 'password'],
  'my.licenses': ['offset', 'limit'],
  'my.license': ['key'],
  'my.passwd': ['password', 'new_password'],
  'my.activation.preview': ['text', 'image', 'qr'],
  'my.activate': ['text', 'image', 'qr'],
  'my.requests': ['offset', 'limit'],
  'my.request': ['id', 'qr'],
  'my.request.sheet': ['id'],
  'my.deactivation.preview': ['text', 'image', 'qr'],
  'my.deactivate': ['text', 'image', 'qr'],
  'requests.list': ['state', 'offset', 'limit'],
  'requests.approve': ['id', 'qr'],
  'requests.reject': ['id', 'reason'],
  'signing.status': [],
  'signing.mode': ['mode'],
  'signing.unlock': ['password'],
  'signing.lock': [],
}

type Listener = (op: string, r: Reply<unknown>) => void
const listeners = new Set<Listener>()

// onReply registers a function told about every reply (the session store
// uses it to notice a session that locked itself); it returns the undo.
export function onReply(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

// call runs one operation through the transport in use.
export async function call<K extends OpName>(op: K, ...args: ParamsOf<K> extends None ? [] : [ParamsOf<K>]): Promise<Reply<DataOf<K>>> {
  const r = await transport().call<DataOf<K>>(op, args[0] ?? {})
  for (const fn of listeners) fn(op, r)
  return r
}
