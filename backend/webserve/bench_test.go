package webserve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchCall measures one API call through the whole handler (headers, CSRF
// and content-type checks, session lookup, body read, dispatch, JSON reply).
func benchCall(b *testing.B, op, body string, signedIn bool) {
	h := newHarness(b, nil)
	c := h.setup()
	if !signedIn {
		c = nil
	}
	handler := h.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hr := httptest.NewRequest(http.MethodPost, "/api/call/"+op, strings.NewReader(body))
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Sec-Fetch-Site", "same-origin")
		if c != nil {
			hr.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, hr)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", op, rec.Code, rec.Body)
		}
	}
}

func BenchmarkAPIStatusAnonymous(b *testing.B) { benchCall(b, "status", "{}", false) }

func BenchmarkAPIStatusSignedIn(b *testing.B) { benchCall(b, "status", "{}", true) }

func BenchmarkAPIAdminsList(b *testing.B) { benchCall(b, "admins.list", "{}", true) }

func BenchmarkStaticAsset(b *testing.B) {
	h := newHarness(b, nil)
	handler := h.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/assets/index-AbCd12_-.js", nil))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
