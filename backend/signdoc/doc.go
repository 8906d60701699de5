// Package signdoc is the one package for the signed documents of Reseller
// Portal's trust chain (docs/formats.md): the enrollment request, reseller
// certificate, allocation bundle, activation request, activation response,
// deactivation request and activation report.
//
// A Document is an envelope (format version, kind, algorithm "Ed25519",
// signer public key) around the exact payload bytes that were signed (JSON),
// the signature, and — for activation responses and reports — the reseller
// certificate. Signatures cover Kind.SigningPrefix() || payload, so a
// signature made for one kind never verifies as another, and are always
// checked over the bytes as received.
//
// Every document has two encodings: Armor (BEGIN/END lines around base64)
// and Compact (one line of QR-alphanumeric text, "RP1:" + base45). Parse
// reads both, with surrounding whitespace.
//
// Parse checks structure only. Trust comes from the Verify functions, each
// for one kind and one side:
//
//	publisher:  VerifyEnrollmentRequest, VerifyReport
//	portal:     VerifyCertificateCarried (enrollment), VerifyBundle,
//	            VerifyActivationRequest, VerifyDeactivationRequest
//	customer:   VerifyActivationResponse (via licenseclient)
//
// The portal's activation step, in full:
//
//	doc, err := signdoc.Parse(requestBytes)                 // armored or QR text
//	req, err := signdoc.VerifyActivationRequest(doc)        // self-signed by the installation key
//	// ... check license, assignment, limits; record the activation ...
//	resp, err := signdoc.SignActivationResponse(resellerPriv, certDoc, signdoc.ActivationResponse{
//		ActivationID:    id,
//		Product:         req.Product,
//		LicenseKey:      req.LicenseKey,
//		Fingerprint:     req.Fingerprint,
//		InstallationKey: req.InstallationKey,
//		Nonce:           req.Nonce,
//		IssuedAt:        now,
//		ApplyBy:         now.Add(signdoc.DefaultApplyWindow),
//		Expires:         license.Expires,
//	})
//	file := resp.Armor()    // for the save dialog
//	text := resp.Compact()  // for the QR code (backend/qr)
//
// Errors are the coded sentinels of errors.go; test them with errors.Is and
// show reply.CodeOf(err) across the binding.
package signdoc

import "time"

// DefaultApplyWindow is how long after issue an activation response may be
// installed: the portal's apply_by is issued_at + 14 days (portal.ApplyWindow).
const DefaultApplyWindow = 14 * 24 * time.Hour
