package signdoc

import "strings"

// Kind is the type of a signed document. Its number is the kind byte of the
// binary envelope; its name is used in the signing prefix and the armor.
type Kind uint8

// The document kinds of the trust chain (PRODUCT.md, "The trust chain").
const (
	KindEnrollmentRequest   Kind = 1 // portal -> publisher, self-signed by the reseller key
	KindResellerCertificate Kind = 2 // publisher -> portal, signed by the publisher root
	KindAllocationBundle    Kind = 3 // publisher -> portal, signed by the publisher root
	KindActivationRequest   Kind = 4 // customer -> portal, self-signed by the installation key
	KindActivationResponse  Kind = 5 // portal -> customer, signed by the reseller key, carries the certificate
	KindDeactivationRequest Kind = 6 // customer -> portal, signed by the installation key
	KindActivationReport    Kind = 7 // portal -> publisher, signed by the reseller key, carries the certificate
)

var kindNames = [...]string{
	KindEnrollmentRequest:   "enrollment-request",
	KindResellerCertificate: "reseller-certificate",
	KindAllocationBundle:    "allocation-bundle",
	KindActivationRequest:   "activation-request",
	KindActivationResponse:  "activation-response",
	KindDeactivationRequest: "deactivation-request",
	KindActivationReport:    "activation-report",
}

// Kinds lists every known kind in numeric order.
func Kinds() []Kind {
	return []Kind{KindEnrollmentRequest, KindResellerCertificate, KindAllocationBundle,
		KindActivationRequest, KindActivationResponse, KindDeactivationRequest, KindActivationReport}
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k >= KindEnrollmentRequest && k <= KindActivationReport }

// String is the kind's name, e.g. "activation-response".
func (k Kind) String() string {
	if !k.Valid() {
		return "unknown"
	}
	return kindNames[k]
}

// Label is the armor label, e.g. "RESELLER PORTAL ACTIVATION RESPONSE".
func (k Kind) Label() string {
	return "RESELLER PORTAL " + strings.ToUpper(strings.ReplaceAll(k.String(), "-", " "))
}

// Title is a human name, e.g. "activation response".
func (k Kind) Title() string { return strings.ReplaceAll(k.String(), "-", " ") }

// SigningPrefix is the domain-separation prefix signed before the payload,
// e.g. "reseller-portal/v1/activation-response\x00". A signature made for one
// kind therefore never verifies as another.
func (k Kind) SigningPrefix() string {
	return "reseller-portal/v1/" + k.String() + "\x00"
}

// carriesCertificate reports whether documents of kind k carry the reseller
// certificate as an attachment.
func (k Kind) carriesCertificate() bool {
	return k == KindActivationResponse || k == KindActivationReport
}

// KindByName returns the kind with the given name ("activation-response").
func KindByName(name string) (Kind, bool) {
	for _, k := range Kinds() {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

func kindByLabel(label string) (Kind, bool) {
	for _, k := range Kinds() {
		if k.Label() == label {
			return k, true
		}
	}
	return 0, false
}
