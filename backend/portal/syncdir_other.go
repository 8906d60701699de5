//go:build !linux

package portal

// syncFiles makes the given files durable, one fsync each, then the folder.
func syncFiles(dir string, names []string) { syncEach(dir, names) }
