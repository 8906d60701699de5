package main

import (
	"path/filepath"
	"testing"

	"github.com/resellerportal/portal/backend/signdoc"
)

// TestPublisherKeyOneMeaning: publisher_key is the publisher's public key
// itself in `vendor enroll --json` and in `portal enroll complete --json`
// alike; the key id has its own name, publisher_key_id (B.4).
func TestPublisherKeyOneMeaning(t *testing.T) {
	work := t.TempDir()
	t.Setenv("HOME", work)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(work, "config"))
	t.Setenv("RP_PASSWORD", "correct horse battery")
	t.Setenv("RP_VENDOR_PASSPHRASE", "publisher passphrase")
	at := func(n string) string { return filepath.Join(work, n) }
	vendorDir, db := at("vendor"), at("portal.db")
	mustRun(t, "vendor", "init", "--dir", vendorDir)
	mustRun(t, "vendor", "product", "add", "--dir", vendorDir, "--name", "Acme CAD", "--id", "acme-cad")
	mustRun(t, "portal", "--db", db, "init", "--reseller", "Northwind", "--admin", "alice")
	mustRun(t, "portal", "--db", db, "enroll", "request", "--out", at("enroll.req"))
	type keys struct {
		PublisherKey   string `json:"publisher_key"`
		PublisherKeyID string `json:"publisher_key_id"`
	}
	var vendor, portal keys
	mustJSON(t, &vendor, "vendor", "enroll", "--dir", vendorDir, "--request", at("enroll.req"), "--products", "acme-cad", "--out", at("reseller.cert"))
	mustJSON(t, &portal, "portal", "--db", db, "enroll", "complete", "--cert", at("reseller.cert"))
	var k signdoc.Bytes
	if err := k.UnmarshalText([]byte(vendor.PublisherKey)); err != nil || len(k) != 32 {
		t.Fatalf("vendor enroll publisher_key %q is not a key: %v", vendor.PublisherKey, err)
	}
	if portal.PublisherKey != vendor.PublisherKey {
		t.Fatalf("portal enroll complete publisher_key %q, vendor enroll %q", portal.PublisherKey, vendor.PublisherKey)
	}
	if portal.PublisherKeyID != signdoc.KeyID(k) {
		t.Fatalf("publisher_key_id %q, want %s", portal.PublisherKeyID, signdoc.KeyID(k))
	}
}
