package store

// Bucket names. Every bucket is created in the one init transaction of Open;
// docs/storage.md describes each key and value layout.
var (
	BucketMeta     = []byte("meta")     // schema version, reseller identity, pins, counters
	BucketAdmins   = []byte("admins")   // admin name -> admin record
	BucketSettings = []byte("settings") // setting name -> value

	BucketLicenses    = []byte("licenses")        // license key -> license record
	BucketLicStatus   = []byte("lic_by_status")   // status 0x00 key -> expiry (8) allowed (4)
	BucketLicAssignee = []byte("lic_by_assignee") // customer ref (9) key -> nil
	BucketLicProduct  = []byte("lic_by_product")  // product 0x00 key -> nil
	BucketLicExpiry   = []byte("lic_by_expiry")   // expiry unix (8) key -> nil
	BucketLicHistory  = []byte("lic_history")     // key 0x00 seq (8) -> history event
	BucketBundles     = []byte("bundles")         // bundle id -> import record

	BucketUsers      = []byte("users")         // id (8) -> user record
	BucketOrgs       = []byte("orgs")          // id (8) -> org record
	BucketCustName   = []byte("cust_by_name")  // lowercase word 0x00 ref (9) -> nil
	BucketCustEmail  = []byte("cust_by_email") // lowercase email -> user id (8)
	BucketOrgMembers = []byte("org_members")   // org id (8) user id (8) -> nil

	BucketCustAccounts = []byte("cust_accounts") // user id (8) -> customer account record (schema 4)
	BucketCustInvites  = []byte("cust_invites")  // SHA-256 of an invitation code (32) -> user id (8) (schema 4)

	BucketCustRequests = []byte("cust_requests")    // id (8) -> a customer's activation request record (schema 5)
	BucketCustReqOpen  = []byte("cust_req_pending") // id (8) -> nil: the requests waiting for an admin (schema 5)
	BucketCustReqUser  = []byte("cust_req_by_user") // user id (8) id (8) -> nil (schema 5)
	BucketCustReqNonce = []byte("cust_req_nonce")   // request nonce -> id (8): the same request file twice is one request (schema 5)

	BucketActivations = []byte("activations")     // id (8) -> activation record; ids grow with time, so this is also the by-time index
	BucketActLicense  = []byte("act_by_license")  // license key 0x00 id (8) -> nil
	BucketActCustomer = []byte("act_by_customer") // customer ref (9) id (8) -> nil
	BucketReports     = []byte("reports")         // report number (8) -> report record

	BucketAudit = []byte("audit") // seq (8) -> hash-chained audit entry
)

// AllBuckets lists every bucket of the current schema.
var AllBuckets = [][]byte{
	BucketMeta, BucketAdmins, BucketSettings,
	BucketLicenses, BucketLicStatus, BucketLicAssignee, BucketLicProduct, BucketLicExpiry, BucketLicHistory, BucketBundles,
	BucketUsers, BucketOrgs, BucketCustName, BucketCustEmail, BucketOrgMembers,
	BucketCustAccounts, BucketCustInvites,
	BucketCustRequests, BucketCustReqOpen, BucketCustReqUser, BucketCustReqNonce,
	BucketActivations, BucketActLicense, BucketActCustomer, BucketReports,
	BucketAudit,
}

// Meta keys.
var (
	MetaSchema = []byte("schema_version")
)
