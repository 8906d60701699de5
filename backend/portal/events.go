package portal

import "github.com/resellerportal/portal/backend/reply"

// appendFill is the fill percent of buckets whose keys only ever grow
// (sequence numbers): full pages instead of half-full splits.
const appendFill = 0.95

func codeOf(err error) string { return reply.CodeOf(err) }
