package signdoc

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors. Every refusal wraps exactly one of these (test with
// errors.Is); reply.CodeOf gives the stable code shown by the UI and CLI.
var (
	// Framing: the bytes are not a document this version can read.
	ErrEmpty              = reply.New("document_empty", "document is empty")
	ErrTooLarge           = reply.New("document_too_large", "document is too large (1 MiB at most; an allocation bundle 64 MiB)")
	ErrMalformed          = reply.New("document_malformed", "not a valid reseller portal document")
	ErrTruncated          = reply.New("document_truncated", "document is truncated")
	ErrCorrupt            = reply.New("document_corrupt", "document is corrupted (checksum mismatch)")
	ErrVersionUnsupported = reply.New("format_version_unsupported", "document was made by a newer version of the format")
	ErrAlgUnsupported     = reply.New("alg_unsupported", "signature algorithm is not allowed")
	ErrKindUnknown        = reply.New("document_kind_unknown", "unknown document kind")
	ErrKindMismatch       = reply.New("document_kind_mismatch", "document is of another kind than expected")
	ErrPublicKeyInvalid   = reply.New("public_key_invalid", "public key is not a valid ed25519 public key")
	ErrPayloadInvalid     = reply.New("payload_invalid", "document payload is invalid")

	// Signatures and the chain of trust.
	ErrSignatureInvalid          = reply.New("signature_invalid", "signature does not verify")
	ErrSignerNotCertified        = reply.New("signer_not_certified", "document is not signed by the key its certificate certifies")
	ErrCertificateMissing        = reply.New("certificate_missing", "document does not carry the reseller certificate")
	ErrCertificateMismatch       = reply.New("certificate_mismatch", "document names another reseller certificate than the one it carries")
	ErrCertificateWrongPublisher = reply.New("certificate_wrong_publisher", "certificate was issued by another publisher")
	ErrCertificateExpired        = reply.New("certificate_expired", "reseller certificate has expired")
	ErrCertificateNotYetValid    = reply.New("certificate_not_yet_valid", "reseller certificate is not valid yet")
	ErrProductNotCovered         = reply.New("product_not_covered", "reseller certificate does not cover this product")
	ErrWrongPublisher            = reply.New("document_wrong_publisher", "document is signed by another publisher")
	ErrWrongReseller             = reply.New("document_wrong_reseller", "document is addressed to another reseller")
	ErrWrongInstallation         = reply.New("document_wrong_installation", "document is signed by another installation")
)
