package licenseclient

import (
	"fmt"
	"strings"
)

// MachineID returns this machine's stable identifier: /etc/machine-id on
// Linux, the MachineGuid registry value on Windows, IOPlatformUUID on
// macOS. It is never sent as is: requests carry signdoc.Fingerprint, a hash
// of it with the product id.
func MachineID() (string, error) {
	id, err := machineID()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoMachineID, err)
	}
	id = strings.TrimSpace(id)
	if id == "" {
		return "", fmt.Errorf("%w: empty id", ErrNoMachineID)
	}
	return id, nil
}
