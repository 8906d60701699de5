// Package seal encrypts small secrets (private keys) under a passphrase:
// Argon2id (RFC 9106) derives a 256-bit key, XChaCha20-Poly1305 encrypts.
// The Argon2id parameters and the salt travel in the sealed blob, so the
// blob opens with the passphrase alone and parameters can be raised later
// without breaking old blobs.
//
// Typical use (the portal wraps the reseller key once per admin):
//
//	blob, err := seal.Seal(resellerPriv, []byte(password), seal.DefaultParams)
//	...
//	priv, err := seal.Open(blob, []byte(password))
//	if errors.Is(err, seal.ErrWrongPassphrase) { ... }
//
// Tests use seal.TestParams, which are cheap. For a key already derived
// elsewhere, SealWithKey and OpenWithKey do the authenticated encryption
// alone, with associated data bound into the tag.
//
// Blob layout (all integers big-endian):
//
//	"RPSEAL" | version=1 | t uint32 | m_kib uint32 | p uint8 | salt[16] | nonce[24] | ciphertext+tag
//
// The header (everything before the ciphertext) is the associated data, so
// altering the parameters or salt makes Open fail.
package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are the Argon2id cost parameters.
type Params struct {
	Time      uint32 // passes over memory (t)
	MemoryKiB uint32 // memory in KiB (m)
	Threads   uint8  // lanes (p)
}

var (
	// DefaultParams follow RFC 9106's second recommended option,
	// with t=3, m=64 MiB, p=2 (about a tenth of a second on a laptop).
	DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}
	// TestParams are deliberately weak, for tests only.
	TestParams = Params{Time: 1, MemoryKiB: 64, Threads: 1}
)

const (
	magic     = "RPSEAL"
	version   = 1
	saltLen   = 16
	KeySize   = chacha20poly1305.KeySize // 32
	headerLen = len(magic) + 1 + 4 + 4 + 1 + saltLen
	nonceLen  = chacha20poly1305.NonceSizeX
	tagLen    = chacha20poly1305.Overhead
	// limits on parameters read from a blob, so a hostile blob cannot make
	// Open allocate or spin without bound.
	maxTime      = 64
	maxMemoryKiB = 4 * 1024 * 1024 // 4 GiB
)

// Validate reports whether p is usable.
func (p Params) Validate() error {
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB {
		return fmt.Errorf("%w: t=%d m=%dKiB p=%d", ErrBadParams, p.Time, p.MemoryKiB, p.Threads)
	}
	return nil
}

// DeriveKey derives a 32-byte key from passphrase and salt with Argon2id.
func DeriveKey(passphrase, salt []byte, p Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, KeySize), nil
}

// Seal encrypts secret under passphrase with parameters p and returns the
// self-describing sealed blob.
func Seal(secret, passphrase []byte, p Params) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, ErrEmptyPassphrase
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, magic...)
	hdr = append(hdr, version)
	hdr = binary.BigEndian.AppendUint32(hdr, p.Time)
	hdr = binary.BigEndian.AppendUint32(hdr, p.MemoryKiB)
	hdr = append(hdr, p.Threads)
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("seal: salt: %w", err)
	}
	hdr = append(hdr, salt...)
	key, err := DeriveKey(passphrase, salt, p)
	if err != nil {
		return nil, err
	}
	defer clear(key) // the AEAD keeps its own copy, which the API cannot wipe
	box, err := SealWithKey(key, secret, hdr)
	if err != nil {
		return nil, err
	}
	return append(hdr, box...), nil
}

// IsSealed reports whether data starts like a sealed blob.
func IsSealed(data []byte) bool { return bytes.HasPrefix(data, []byte(magic)) }

// ParamsOf returns the Argon2id parameters recorded in a sealed blob.
func ParamsOf(sealed []byte) (Params, error) {
	if len(sealed) < headerLen+nonceLen+tagLen || !IsSealed(sealed) {
		return Params{}, ErrMalformed
	}
	if v := sealed[len(magic)]; v != version {
		return Params{}, fmt.Errorf("%w: version %d", ErrUnsupportedVersion, v)
	}
	o := len(magic) + 1
	p := Params{
		Time:      binary.BigEndian.Uint32(sealed[o:]),
		MemoryKiB: binary.BigEndian.Uint32(sealed[o+4:]),
		Threads:   sealed[o+8],
	}
	return p, p.Validate()
}

// Open decrypts a blob made by Seal. A wrong passphrase (or an altered
// blob) gives ErrWrongPassphrase.
func Open(sealed, passphrase []byte) ([]byte, error) {
	p, err := ParamsOf(sealed)
	if err != nil {
		return nil, err
	}
	salt := sealed[headerLen-saltLen : headerLen]
	key, err := DeriveKey(passphrase, salt, p)
	if err != nil {
		return nil, err
	}
	defer clear(key) // the AEAD keeps its own copy, which the API cannot wipe
	out, err := OpenWithKey(key, sealed[headerLen:], sealed[:headerLen])
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return out, nil
}

// SealWithKey encrypts plaintext with a 32-byte key, binding aad, and
// returns nonce || ciphertext || tag with a fresh random 24-byte nonce.
func SealWithKey(key, plaintext, aad []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrBadKey
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	out := make([]byte, nonceLen, nonceLen+len(plaintext)+tagLen)
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return aead.Seal(out, out[:nonceLen], plaintext, aad), nil
}

// OpenWithKey reverses SealWithKey. It returns ErrOpenFailed when the key or
// aad is wrong or the bytes were altered, ErrMalformed when too short.
func OpenWithKey(key, sealed, aad []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrBadKey
	}
	if len(sealed) < nonceLen+tagLen {
		return nil, ErrMalformed
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	out, err := aead.Open(nil, sealed[:nonceLen], sealed[nonceLen:], aad)
	if err != nil {
		return nil, ErrOpenFailed
	}
	return out, nil
}
