//go:build !linux && !windows && !darwin

package licenseclient

import "errors"

func machineID() (string, error) {
	return "", errors.New("no machine id source on this operating system; set Options.MachineID")
}
