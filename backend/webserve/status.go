package webserve

import (
	"net/http"
	"strings"

	"github.com/resellerportal/portal/backend/reply"
)

// codeStatus maps the stable reply codes that have an obvious HTTP meaning.
// Every other refusal of an operation (validation, business rules such as
// license_over_limit) is 422; the JSON body always carries the exact code.
var codeStatus = map[string]int{
	"bad_request":            http.StatusBadRequest,
	"not_signed_in":          http.StatusUnauthorized,
	"wrong_password":         http.StatusUnauthorized,
	"forbidden":              http.StatusForbidden,
	"customer_disabled":      http.StatusForbidden,
	"cross_site_request":     http.StatusForbidden,
	"unknown_operation":      http.StatusNotFound,
	"not_found":              http.StatusNotFound,
	"method_not_allowed":     http.StatusMethodNotAllowed,
	"host_not_allowed":       http.StatusMisdirectedRequest,
	"request_too_large":      http.StatusRequestEntityTooLarge,
	"unsupported_media_type": http.StatusUnsupportedMediaType,
	"account_locked":         http.StatusTooManyRequests,
	"already_initialized":    http.StatusConflict,
	"already_enrolled":       http.StatusConflict,
	"already_deactivated":    http.StatusConflict,
	"admin_exists":           http.StatusConflict,
	"email_taken":            http.StatusConflict,
	"bundle_conflict":        http.StatusConflict,
	"license_assigned":       http.StatusConflict,
	"license_active":         http.StatusConflict,
	"customer_has_licenses":  http.StatusConflict,
	"org_has_users":          http.StatusConflict,
	"last_admin":             http.StatusConflict,
	"database_in_use":        http.StatusConflict,
	"internal":               http.StatusInternalServerError,
	"key_damaged":            http.StatusInternalServerError,
	"database_open_failed":   http.StatusInternalServerError,
	"migration_failed":       http.StatusInternalServerError,
	"ui_not_built":           http.StatusServiceUnavailable,
	"server_busy":            http.StatusServiceUnavailable,
	"server_closing":         http.StatusServiceUnavailable,
}

// StatusOf is the HTTP status for a reply: 200 when it is ok, else the status
// of its code (404 for every *_not_found code, 422 for other refusals).
func StatusOf(r reply.Reply) int {
	if r.OK {
		return http.StatusOK
	}
	if s, ok := codeStatus[r.Code]; ok {
		return s
	}
	if strings.HasSuffix(r.Code, "_not_found") {
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}
