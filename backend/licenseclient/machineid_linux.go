package licenseclient

import "os"

func machineID() (string, error) {
	var last error
	for _, f := range []string{"/etc/machine-id", "/var/lib/dbus/machine-id"} {
		b, err := os.ReadFile(f)
		if err == nil && len(b) > 0 {
			return string(b), nil
		}
		last = err
	}
	return "", last
}
