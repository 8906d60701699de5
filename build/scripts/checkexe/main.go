// Command checkexe checks that a cross-built Windows executable is what
// `make build-windows` promises: a PE file for amd64 with the GUI subsystem,
// and a resource section that holds every image of the app icon, the
// application manifest and the version information.
//
// Usage: go run ./build/scripts/checkexe EXE ICON.ico MANIFEST_NAME PRODUCT_NAME
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"unicode/utf16"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: checkexe EXE ICON.ico MANIFEST_NAME PRODUCT_NAME")
		os.Exit(2)
	}
	if err := check(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintf(os.Stderr, "checkexe: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	fmt.Printf("checkexe: %s: PE amd64 GUI executable with icon, manifest and version info\n", os.Args[1])
}

func check(exe, icon, manifestName, product string) error {
	f, err := pe.Open(exe)
	if err != nil {
		return fmt.Errorf("not a PE file: %w", err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("machine %#x, want amd64", f.Machine)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return errors.New("not a 64-bit image")
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("subsystem %d, want the Windows GUI subsystem", oh.Subsystem)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return errors.New("no resource section (.rsrc): icon and manifest are missing")
	}
	res, err := rsrc.Data()
	if err != nil {
		return fmt.Errorf("read .rsrc: %w", err)
	}
	images, err := iconImages(icon)
	if err != nil {
		return err
	}
	for i, img := range images {
		if !bytes.Contains(res, img) {
			return fmt.Errorf("icon image %d of %s is not in the resources", i, icon)
		}
	}
	if !bytes.Contains(res, []byte(`name="`+manifestName+`"`)) {
		return fmt.Errorf("the application manifest (%s) is not in the resources", manifestName)
	}
	if !bytes.Contains(res, utf16le(product)) {
		return fmt.Errorf("the version information (%q) is not in the resources", product)
	}
	return nil
}

// iconImages returns the image blobs of an .ico file.
func iconImages(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 6 || binary.LittleEndian.Uint16(data[2:]) != 1 {
		return nil, fmt.Errorf("%s is not an icon file", path)
	}
	n := int(binary.LittleEndian.Uint16(data[4:]))
	if n == 0 || len(data) < 6+16*n {
		return nil, fmt.Errorf("%s holds no images", path)
	}
	var out [][]byte
	for i := 0; i < n; i++ {
		e := data[6+16*i:]
		size := int(binary.LittleEndian.Uint32(e[8:]))
		off := int(binary.LittleEndian.Uint32(e[12:]))
		if off < 0 || size <= 0 || off+size > len(data) {
			return nil, fmt.Errorf("%s: image %d is out of bounds", path, i)
		}
		out = append(out, data[off:off+size])
	}
	return out, nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
