package portal

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors of the portal services. Each carries a stable code for the
// Wails binding and the HTTP API (append-only: never rename a code). Test for
// them with errors.Is; messages are wrapped with the detail that applies.
var (
	// sessions and accounts
	ErrNotSignedIn        = reply.New("not_signed_in", "not signed in")
	ErrSessionLocked      = reply.New("not_signed_in", "session locked after being idle; sign in again")
	ErrForbidden          = reply.New("forbidden", "this account's role may not do that")
	ErrNotInitialized     = reply.New("not_initialized", "the portal is not set up yet (run setup / rpctl portal init)")
	ErrAlreadyInitialized = reply.New("already_initialized", "the portal is already set up")
	ErrAdminNotFound      = reply.New("admin_not_found", "no such admin account")
	ErrAdminExists        = reply.New("admin_exists", "an admin account with that name exists")
	ErrLastAdmin          = reply.New("last_admin", "the last admin account cannot be removed")
	ErrWrongPassword      = reply.New("wrong_password", "wrong password")
	ErrAccountLocked      = reply.New("account_locked", "account locked after too many failed sign-ins; try again later")
	ErrWeakPassword       = reply.New("password_too_short", "password must be at least 8 characters")
	ErrKeyDamaged         = reply.New("key_damaged", "the reseller signing key cannot be unlocked")

	// customer accounts
	ErrInvitationInvalid   = reply.New("invitation_invalid", "the invitation code is not valid: unknown, already used or expired")
	ErrCustomerDisabled    = reply.New("customer_disabled", "this customer account is disabled")
	ErrCustomerAcctMissing = reply.New("customer_account_not_found", "the user has no customer account; invite them first")
	ErrNotInOrg            = reply.New("not_in_organization", "the user belongs to no organization")

	// input validation
	ErrInvalidInput = reply.New("invalid_input", "invalid input")
	ErrInvalidName  = reply.New("invalid_name", "invalid name")
	ErrInvalidEmail = reply.New("invalid_email", "invalid email address")
	ErrEmailTaken   = reply.New("email_taken", "a user with that email address exists")
	ErrInvalidID    = reply.New("invalid_id", "invalid id")

	// customers
	ErrUserNotFound        = reply.New("user_not_found", "no such user")
	ErrOrgNotFound         = reply.New("org_not_found", "no such organization")
	ErrCustomerHasLicenses = reply.New("customer_has_licenses", "customer still holds licenses; revoke them first or ask to revoke them")
	ErrOrgHasUsers         = reply.New("org_has_users", "organization still has users; delete or move them first")

	// enrollment and bundles
	ErrNotEnrolled    = reply.New("not_enrolled", "the portal is not enrolled with a publisher yet")
	ErrCertNotForUs   = reply.New("certificate_not_for_this_portal", "the certificate does not certify this portal's key")
	ErrCertExpired    = reply.New("certificate_expired", "the reseller certificate is not valid now")
	ErrWrongPublisher = reply.New("wrong_publisher", "signed by a publisher other than the one this portal is enrolled with")
	ErrWrongReseller  = reply.New("wrong_reseller", "addressed to another reseller")
	ErrBundleConflict = reply.New("bundle_conflict", "bundle holds a license key that already exists with other terms")
	ErrDocument       = reply.New("document_invalid", "document is not valid")

	// licenses
	ErrLicenseNotFound    = reply.New("license_not_found", "no such license")
	ErrLicenseAssigned    = reply.New("license_assigned", "license is already assigned; revoke it first")
	ErrLicenseNotAssigned = reply.New("license_unassigned", "license is not assigned to a customer")
	ErrLicenseActive      = reply.New("license_active", "license has live activations; they must be deactivated first")
	ErrLicenseExpired     = reply.New("license_expired", "license has expired")
	ErrOverLimit          = reply.New("license_over_limit", "license has no activations left")
	ErrProductNotCovered  = reply.New("product_not_covered", "the reseller certificate does not cover this product")
	ErrWrongProduct       = reply.New("wrong_product", "the request names a product other than the license's")
	ErrBadStatus          = reply.New("invalid_status", "status must be available, assigned, active or expired")

	// activations
	ErrActivationNotFound = reply.New("activation_not_found", "no such activation")
	ErrAlreadyDeactivated = reply.New("already_deactivated", "already deactivated")
	ErrDeactivationLimit  = reply.New("deactivation_limit", "license has no deactivations left")
	ErrInstallKeyMismatch = reply.New("installation_key_mismatch", "not signed by the installation key recorded at activation")

	// settings, audit, backup
	ErrLogoTooLarge   = reply.New("logo_too_large", "logo must be at most 512 KiB")
	ErrLogoFormat     = reply.New("logo_format", "logo must be a PNG or JPEG image")
	ErrInvalidDomain  = reply.New("invalid_domain", "custom domain must be a valid host name")
	ErrAuditBroken    = reply.New("audit_chain_broken", "audit log hash chain is broken")
	ErrBadBackup      = reply.New("invalid_backup", "file is not a valid portal backup")
	ErrBackupTooLarge = reply.New("backup_too_large", "backup is too large for this form")
	ErrFileExists     = reply.New("file_exists", "a file of that name exists; ask to replace it")
)
