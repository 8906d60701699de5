package licenseclient_test

import "encoding/base64"

func mustB64(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }
