package licenseclient

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors (errors.Is; reply.CodeOf gives the stable code). Errors
// about the response document itself come from backend/signdoc
// (signature_invalid, certificate_wrong_publisher, product_not_covered, ...).
var (
	ErrNoMachineID       = reply.New("machine_id_unavailable", "cannot read this machine's id")
	ErrNoPendingRequest  = reply.New("no_pending_request", "no activation request is waiting for a response on this machine")
	ErrWrongMachine      = reply.New("activation_wrong_machine", "response is for another machine")
	ErrWrongInstallation = reply.New("activation_wrong_installation", "response is for another installation")
	ErrWrongLicense      = reply.New("activation_wrong_license", "response is for another license or product")
	ErrNonceMismatch     = reply.New("activation_nonce_mismatch", "response answers another (older) request")
	ErrResponseExpired   = reply.New("activation_response_expired", "response was not installed in time; make a new request")
	ErrLicenseExpired    = reply.New("license_expired", "license has expired")
	ErrClockSetBack      = reply.New("clock_set_back", "the system clock is earlier than a time already seen; set it right")
	ErrNotActivated      = reply.New("not_activated", "this machine is not activated")
	ErrAlreadyActivated  = reply.New("already_activated", "this machine is already activated; deactivate first")
	ErrStateInvalid      = reply.New("state_invalid", "license state file is damaged")
	ErrStateNewer        = reply.New("state_version_unsupported", "license state file was written by a newer version")
	ErrInvalidArgument   = reply.New("invalid_argument", "invalid argument")
)
