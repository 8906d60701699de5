//go:build !linux

package portal

// syncFiles makes the response files in dir durable, one fsync each, then the folder.
func syncFiles(dir string) { syncEach(dir) }
