// Package deps pins the module's chosen dependencies in go.mod while the
// packages that use them are being written. Remove it once each is imported.
package deps

import (
	_ "github.com/google/uuid"
	_ "github.com/makiuchi-d/gozxing"
	_ "github.com/makiuchi-d/gozxing/qrcode"
	_ "github.com/skip2/go-qrcode"
	_ "github.com/spf13/cobra"
	_ "github.com/wailsapp/wails/v2"
	_ "github.com/wailsapp/wails/v2/pkg/options"
	_ "github.com/wailsapp/wails/v2/pkg/options/assetserver"
	_ "github.com/wailsapp/wails/v2/pkg/runtime"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/chacha20poly1305"
)
