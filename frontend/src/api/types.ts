// The data shapes of the portal operations (docs/api.md), as the backend's
// JSON names them. Times are RFC 3339 UTC strings.

export interface Status {
  initialized: boolean
  reseller_name: string
  enrolled: boolean
  admins?: string[] // the desktop lists them; serve mode may not
  signed_in: boolean
  admin: string
  // role of the session: 'reseller-admin', 'customer', '' signed out (absent from older backends)
  role?: Role
  customer?: StatusCustomer | null
  demo?: boolean
}

export type Role = 'reseller-admin' | 'customer' | ''

// The signed-in customer (status.customer).
export interface StatusCustomer {
  user: string
  name: string
  email: string
  org?: string
  org_name?: string
  manager: boolean
}

// A customer's portal account, as the admin sees it (customers.account).
export interface CustomerAccount {
  user: string
  state: 'none' | 'invited' | 'invitation_expired' | 'active' | 'disabled'
  manager: boolean
  invitation_expires: string | null
  activated: string | null
  last_signin: string | null
}

// A new invitation code: shown once (customers.invite).
export interface Invitation {
  user: string
  code: string
  expires: string
}

// A license as its customer sees it (my.licenses).
export interface MyLicense {
  key: string
  product: string
  status: string
  assignee: string
  assignee_name: string
  activations_used: number
  activations_allowed: number
  deactivations_used: number
  deactivations_allowed: number | null
  expires: string | null
  features?: Record<string, string>
}

export interface MyActivation {
  id: string
  license: string
  product: string
  status: string
  machine: string
  hostname?: string
  os?: string
  app_version?: string
  created: string
  deactivated?: string
}

export interface MyLicenseDetail extends MyLicense {
  activations: MyActivation[]
}

export interface MyLicensePage {
  items: MyLicense[]
  has_more: boolean
}

// The customer portal's activation requests (backend/portal/custreq.go).
export type RequestState = 'pending' | 'approved' | 'rejected'
export type SigningMode = 'approval' | 'immediate'

export interface MyPreview extends Preview {
  mode: SigningMode
  sign_now: boolean // immediate and unlocked: submitting signs at once
}

export interface CustomerRequest {
  id: string // "R12"
  state: RequestState
  mode: SigningMode // the mode it was submitted under
  license: string
  product: string
  machine: string
  hostname?: string
  os?: string
  app_version?: string
  customer: string
  customer_name: string
  created: string
  decided: string | null
  decided_by?: string // admins only
  reason?: string // a rejection's reason
  activation?: string // "A12", once approved
  repeat: boolean // this very request was submitted before
  response?: Document // once approved (my.request, my.activate, requests.approve)
  qr_png?: string // base64 PNG, when asked with qr: true
}

export interface RequestPage {
  items: CustomerRequest[]
  total: number
  pending: number
}

export interface RequestQuery {
  state?: '' | RequestState
  offset?: number
  limit?: number
}

export interface MyDeactivation {
  activation: MyActivation
  license: MyLicense
}

export interface SigningState {
  mode: SigningMode
  unlocked: boolean
  unlocked_by?: string
  unlocked_at?: string
  pending: number
}

export interface Branding {
  company: string
  domain: string
  logo_type: string
  logo: string | null // base64
}

export interface Document {
  armored: string
  compact: string
}

// A signed document handed to the backend: text (armored or compact) or a
// base64 PNG/JPEG of its QR code.
export interface DocParams {
  text?: string
  image?: string
  qr?: boolean
}

export interface Enrollment {
  enrolled: boolean
  reseller_id?: string
  serial?: number
  publisher_key?: string // the publisher's public key (base64url)
  publisher_key_id?: string // its key id (16 hex characters)
  products?: string[]
  not_before?: string
  not_after?: string
}

export type LicenseStatus = 'available' | 'assigned' | 'active' | 'expired'

export interface License {
  key: string
  product: string
  status: LicenseStatus
  assignee: string | null
  assignee_name?: string
  activations_used: number
  activations_allowed: number
  deactivations_used: number
  deactivations_allowed: number | null
  expires: string | null
  features?: Record<string, string>
  bundle: string
  imported: string
}

export interface Activation {
  id: string
  license: string
  product: string
  status: 'active' | 'deactivated'
  machine: string
  hostname: string
  os: string
  app_version: string
  customer: string
  customer_name: string
  created: string
  apply_by: string
  deactivated: string | null
  admin: string
}

export interface HistoryEvent {
  time: string
  actor: string
  action: string
  customer?: string
  name?: string
  detail?: string
}

export interface LicenseDetail extends License {
  activations: Activation[]
  history: HistoryEvent[]
}

export interface LicenseQuery {
  status?: '' | LicenseStatus
  search?: string
  customer?: string
  product?: string
  sort?: 'key' | 'expires'
  offset?: number
  limit?: number
}

export interface LicensePage {
  items: License[]
  has_more: boolean
}

export interface ImportResult {
  bundle: string
  licenses: number
  already_imported: boolean
}

export interface User {
  id: string
  name: string
  email: string
  org: string
  org_name: string
  licenses: number
  created: string
}

export interface Org {
  id: string
  name: string
  users: number
  licenses: number
  created: string
}

export interface UserQuery {
  org?: string
  search?: string
  offset?: number
  limit?: number
}

export interface UserInput {
  name: string
  email: string
  org?: string
}

export interface UserUpdate {
  id: string
  name?: string
  email?: string
  org?: string
}

export interface ActivationQuery {
  license?: string
  customer?: string
  status?: string
  from?: string
  to?: string
  offset?: number
  limit?: number
}

export interface AuditEntry {
  seq: number
  time: string
  actor: string
  action: string
  object: string
  detail: string
  prev?: string
  hash?: string
}

// audit.list: action and actor match exactly; before is a sequence-number
// cursor (start below it); a filtered walk reads at most 10,000 entries.
export interface AuditQuery {
  action?: string
  actor?: string
  before?: number
  offset?: number
  limit?: number
}

// more: older matches may exist (ask again with before = next); scanned:
// entries read (a filtered walk that hit its bound returns fewer than limit).
export interface AuditPage {
  entries: AuditEntry[]
  more: boolean
  next: number
  scanned: number
}

export interface Dashboard {
  licenses: { total: number; available: number; assigned: number; active: number; expired: number }
  activations: { used: number; allowed: number }
  expiring: { count: number; items: License[] }
  certificate: { enrolled: boolean; not_after?: string; days_left?: number; expired?: boolean; expiring_soon?: boolean }
  customers: { users: number; orgs: number }
  recent: AuditEntry[]
  next_step: '' | 'enroll' | 'import' | 'customer' | 'assign' | 'activate'
}

export interface QRImage {
  png: string // base64
  version: number
}

export interface DemoSample {
  request: string
  publisher_key: string
  license: string
  product: string
}

export interface CSV {
  csv: string
}

export interface Preview {
  license: string
  product: string
  customer: string
  customer_name: string
  machine: string
  hostname?: string
  os?: string
  app_version?: string
  activations_used: number
  activations_allowed: number
  activations_left: number // after this activation
  expires: string | null
  repeat: boolean
  ok: boolean
  code?: string
  message?: string
}

export interface ActivationResult {
  activation: Activation
  response: Document
  qr_png?: string // base64 PNG, when asked with qr: true
  repeat: boolean
}

// A request file carried to activation.batch over HTTP (text, or an image
// of its QR code as base64).
export interface BatchFile {
  name: string
  text?: string
  image?: string
}

export interface BatchItem {
  file: string
  kind: '' | 'activation' | 'deactivation'
  ok: boolean
  repeat?: boolean
  activation?: string
  // whom the file was for, from the portal's records: set for every applied
  // request and for a refused one whose license is known
  license?: string // license key
  product?: string
  customer?: string // customer id ("u12" / "o3")
  customer_name?: string
  response?: string // the response file written (folder form)
  response_text?: string // the signed response (files form)
  code?: string
  message?: string
}

export interface BatchResult {
  items: BatchItem[]
  activated: number
  deactivated: number
  failed: number
}

export interface ReportResult {
  number: number
  events: number
  document: Document
}

export interface Sheet {
  name: string
  pdf: string // base64
}

export interface Settings {
  company: string
  domain: string
  logo_type?: string
  logo?: string // base64
}

export interface SettingsUpdate {
  company?: string
  domain?: string
  logo?: string // base64 image bytes
  set_logo?: boolean // true: logo replaces the logo (empty removes it)
}

export interface AdminInfo {
  name: string
  role: string
  locked: boolean
  created: string
  locked_until?: string
}

export interface AuditVerification {
  entries: number
  ok: boolean
  head?: string
}

export interface BackupFile {
  name: string
  data: string // base64
}

// How this process puts the portal on the network (server.info): the
// desktop window and rpctl answer serving: false.
export interface ServerInfo {
  serving: boolean
  tls: boolean // this request came over TLS
  proxy_tls: boolean // a TLS proxy in front (--secure-cookies)
  domain: string // the custom domain serve allowed at its start
  port: number
}

export interface BackupResult {
  path: string
  bytes: number
}
