package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/spf13/cobra"
)

// Shared by the vendor, portal and client groups: reading signed documents and
// writing output files.

// readDocument reads a signed document from FILE or "-" (stdin): the
// armored text or the compact QR text; a PNG or JPEG image is read as a
// photo or screenshot of its QR code.
func readDocument(cmd *cobra.Command, path string) ([]byte, error) {
	b, err := readInput(cmd, path, qr.MaxImageBytes)
	if err != nil {
		return nil, err
	}
	if isImage(b) {
		text, err := qr.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return []byte(text), nil
	}
	if len(b) > signdoc.MaxDocumentSize {
		return nil, fmt.Errorf("%s: %w", path, signdoc.ErrTooLarge)
	}
	return b, nil
}

func isImage(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(b, []byte("\xff\xd8\xff"))
}

// writeOut writes data to path atomically (temp file, fsync, rename),
// or to stdout for "-".
func writeOut(cmd *cobra.Command, path string, data []byte, perm os.FileMode) error {
	if path == "-" {
		_, err := cmd.OutOrStdout().Write(data)
		return err
	}
	return atomicfile.WriteFile(path, data, perm)
}

// writeQR writes the QR code PNG of a document's compact form.
// writeDocOut writes d armored to the --out path (or stdout for "-") and, when
// --qr names a file, its QR code PNG there.
func writeDocOut(cmd *cobra.Command, d *signdoc.Document) (out, qrPath string, err error) {
	out, qrPath = strFlag(cmd, "out"), strFlag(cmd, "qr")
	if err := writeOut(cmd, out, d.Armor(), 0o644); err != nil {
		return out, qrPath, err
	}
	if qrPath != "" {
		if err := writeQR(cmd, qrPath, d); err != nil {
			return out, qrPath, err
		}
	}
	return out, qrPath, nil
}

func writeQR(cmd *cobra.Command, path string, d *signdoc.Document) error {
	png, err := qr.Encode(d.Compact())
	if err != nil {
		return err
	}
	return writeOut(cmd, path, png, 0o644)
}

// strFlag returns a string flag's value.
func strFlag(cmd *cobra.Command, name string) string {
	v, _ := cmd.Flags().GetString(name)
	return v
}
