package portal

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// MaxLogoSize bounds the logo file; MaxLogoSide its declared width and
// height, checked before it is decoded.
const (
	MaxLogoSize = 512 << 10
	MaxLogoSide = 4096
)

// Settings customise the portal.
type Settings struct {
	Company  string `json:"company"`
	Domain   string `json:"domain"`
	LogoType string `json:"logo_type,omitempty"` // image/png or image/jpeg
	Logo     string `json:"logo,omitempty"`      // base64
}

// SettingsUpdate changes the non-nil fields; an empty Logo removes it.
type SettingsUpdate struct {
	Company *string `json:"company"`
	Domain  *string `json:"domain"`
	Logo    []byte  `json:"logo"` // raw image bytes (base64 in JSON)
	SetLogo bool    `json:"set_logo"`
}

var (
	setCompany  = []byte("company")
	setDomain   = []byte("domain")
	setLogo     = []byte("logo")
	setLogoType = []byte("logo_type")
)

// checkLogo accepts a PNG or JPEG of at most MaxLogoSize that decodes.
func checkLogo(b []byte) (string, error) {
	if len(b) > MaxLogoSize {
		return "", fmt.Errorf("%w (%d bytes)", ErrLogoTooLarge, len(b))
	}
	ct := http.DetectContentType(b)
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch ct {
	case "image/png":
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "image/jpeg":
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	default:
		return "", fmt.Errorf("%w (got %s)", ErrLogoFormat, ct)
	}
	// the declared size first: a small file can declare a huge image
	cfg, err := decodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrLogoFormat, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return "", fmt.Errorf("%w: %dx%d pixels, at most %dx%d", ErrLogoFormat, cfg.Width, cfg.Height, MaxLogoSide, MaxLogoSide)
	}
	release := qr.DecodeSlot()
	_, err = decode(bytes.NewReader(b))
	release()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrLogoFormat, err)
	}
	return ct, nil
}

func cleanDomain(d string) (string, error) {
	d = strings.ToLower(strings.TrimSpace(d))
	if d == "" {
		return "", nil
	}
	if !validHostname(d) || !strings.Contains(d, ".") && d != "localhost" {
		return "", fmt.Errorf("%w: %q", ErrInvalidDomain, d)
	}
	return strings.TrimSuffix(d, "."), nil
}

// GetSettings returns the customisation.
func (p *Portal) GetSettings(s *Session) (Settings, error) {
	if err := p.auth(s); err != nil {
		return Settings{}, err
	}
	return p.Branding()
}

// Branding returns the customisation without a session: the sign-in
// screen shows the company name and logo too. Nothing in it is secret.
func (p *Portal) Branding() (Settings, error) {
	var out Settings
	err := p.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketSettings)
		out.Company, out.Domain, out.LogoType = string(b.Get(setCompany)), string(b.Get(setDomain)), string(b.Get(setLogoType))
		if l := b.Get(setLogo); l != nil {
			out.Logo = base64.StdEncoding.EncodeToString(l)
		}
		return nil
	})
	return out, err
}

// UpdateSettings validates and stores the given fields in one transaction.
func (p *Portal) UpdateSettings(s *Session, up SettingsUpdate) (Settings, error) {
	if err := p.auth(s); err != nil {
		return Settings{}, err
	}
	var company, domain, logoType string
	var err error
	if up.Company != nil && strings.TrimSpace(*up.Company) != "" {
		if company, err = cleanName("company name", *up.Company, maxNameLen); err != nil {
			return Settings{}, err
		}
	}
	if up.Domain != nil {
		if domain, err = cleanDomain(*up.Domain); err != nil {
			return Settings{}, err
		}
	}
	if up.SetLogo && len(up.Logo) > 0 {
		if logoType, err = checkLogo(up.Logo); err != nil {
			return Settings{}, err
		}
	}
	err = p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketSettings)
		var changed []string
		put := func(k []byte, v []byte) error {
			changed = append(changed, string(k))
			if len(v) == 0 {
				return b.Delete(k)
			}
			return b.Put(k, v)
		}
		if up.Company != nil {
			if err := put(setCompany, []byte(company)); err != nil {
				return err
			}
		}
		if up.Domain != nil {
			if err := put(setDomain, []byte(domain)); err != nil {
				return err
			}
		}
		if up.SetLogo {
			if err := put(setLogo, up.Logo); err != nil {
				return err
			}
			if err := put(setLogoType, []byte(logoType)); err != nil {
				return err
			}
		}
		if len(changed) == 0 {
			return nil
		}
		return p.audit(tx, s.Admin(), "settings.update", "settings", strings.Join(changed, ","))
	})
	if err != nil {
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	return p.GetSettings(s)
}
