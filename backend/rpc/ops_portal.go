package rpc

import (
	"bytes"
	"fmt"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/qr"
)

// DocParams carry a signed document as text (armored or compact) or as a
// PNG/JPEG image of its QR code (base64 in JSON).
type DocParams struct {
	Text  string `json:"text"`
	Image []byte `json:"image"`
	QR    bool   `json:"qr"` // activate: also return the response as a QR PNG
}

func (d DocParams) bytes() ([]byte, error) {
	if len(d.Image) > 0 {
		text, err := qr.Decode(d.Image)
		if err != nil {
			return nil, err
		}
		return []byte(text), nil
	}
	return []byte(d.Text), nil
}

// KeyParams name a license.
type KeyParams struct {
	Key string `json:"key"`
}

// AssignParams assign a license to a user or an organization.
type AssignParams struct {
	Key  string `json:"key"`
	User string `json:"user"`
	Org  string `json:"org"`
}

// IDParams name a customer, or a customer request ("R12").
type IDParams struct {
	ID string `json:"id"`
}

// DeleteParams delete a customer; Revoke also revokes its licenses.
type DeleteParams struct {
	ID     string `json:"id"`
	Revoke bool   `json:"revoke"`
}

// OrgParams create or rename an organization.
type OrgParams struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UserUpdateParams change a user.
type UserUpdateParams struct {
	ID    string  `json:"id"`
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Org   *string `json:"org"`
}

// PageParams page through a list.
type PageParams struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// PathParams name a file or folder on the portal's machine.
type PathParams struct {
	Path string `json:"path"`
}

// BatchParams run a batch over a folder on the portal's machine (path;
// local callers only) or over files the caller carries (files).
type BatchParams struct {
	Path  string             `json:"path"`
	Files []portal.BatchFile `json:"files"`
}

// BackupParams write a backup file on the portal's machine (local callers
// only); Replace allows replacing an existing file.
type BackupParams struct {
	Path    string `json:"path"`
	Replace bool   `json:"replace"`
}

// UploadParams carry a backup file (base64 in JSON) to restore.
type UploadParams struct {
	Data []byte `json:"data"`
}

// CSV is an exported table.
type CSV struct {
	CSV string `json:"csv"`
}

func init() {
	registrations = append(registrations, registerPortalOps)
}

func registerPortalOps(s *Server) {
	h := func(name string, fn handler) { s.handle(name, false, fn) }
	h("dashboard", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.Dashboard(sess.get())
	}))
	h("enroll.request", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.EnrollmentRequest(sess.get())
	}))
	h("enroll.complete", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.CompleteEnrollment(sess.get(), b)
	}))
	h("enroll.status", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.GetEnrollment(sess.get())
	}))
	h("licenses.import", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.ImportBundle(sess.get(), b)
	}))
	h("licenses.list", typed(func(s *Server, sess *Session, q portal.LicenseQuery) (any, error) {
		return s.p.ListLicenses(sess.get(), q)
	}))
	h("licenses.show", typed(func(s *Server, sess *Session, p KeyParams) (any, error) {
		return s.p.GetLicense(sess.get(), p.Key)
	}))
	h("licenses.assign", typed(func(s *Server, sess *Session, p AssignParams) (any, error) {
		return s.p.Assign(sess.get(), p.Key, p.User, p.Org)
	}))
	h("licenses.revoke", typed(func(s *Server, sess *Session, p KeyParams) (any, error) {
		return s.p.Revoke(sess.get(), p.Key)
	}))
	h("licenses.export_csv", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		var b bytes.Buffer
		err := s.p.ExportLicensesCSV(sess.get(), &b)
		return CSV{CSV: b.String()}, err
	}))

	h("users.list", typed(func(s *Server, sess *Session, q portal.UserQuery) (any, error) {
		return s.p.QueryUsers(sess.get(), q)
	}))
	h("users.get", typed(func(s *Server, sess *Session, p IDParams) (any, error) {
		return s.p.GetUser(sess.get(), p.ID)
	}))
	h("users.create", typed(func(s *Server, sess *Session, p portal.UserInput) (any, error) {
		return s.p.CreateUser(sess.get(), p)
	}))
	h("users.update", typed(func(s *Server, sess *Session, p UserUpdateParams) (any, error) {
		return s.p.UpdateUser(sess.get(), p.ID, portal.UserUpdate{Name: p.Name, Email: p.Email, Org: p.Org})
	}))
	h("users.delete", typed(func(s *Server, sess *Session, p DeleteParams) (any, error) {
		return nil, s.p.DeleteUser(sess.get(), p.ID, p.Revoke)
	}))
	h("orgs.list", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.ListOrgs(sess.get())
	}))
	h("orgs.get", typed(func(s *Server, sess *Session, p IDParams) (any, error) {
		return s.p.GetOrg(sess.get(), p.ID)
	}))
	h("orgs.create", typed(func(s *Server, sess *Session, p OrgParams) (any, error) {
		if p.ID != "" {
			return nil, fmt.Errorf("%w: id is chosen by the portal", ErrBadRequest)
		}
		return s.p.CreateOrg(sess.get(), p.Name)
	}))
	h("orgs.update", typed(func(s *Server, sess *Session, p OrgParams) (any, error) {
		return s.p.UpdateOrg(sess.get(), p.ID, p.Name)
	}))
	h("orgs.delete", typed(func(s *Server, sess *Session, p DeleteParams) (any, error) {
		return nil, s.p.DeleteOrg(sess.get(), p.ID, p.Revoke)
	}))

	h("activation.preview", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.PreviewActivation(sess.get(), b)
	}))
	h("activation.activate", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.Activate(sess.get(), b, p.QR)
	}))
	h("activation.deactivate", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.Deactivate(sess.get(), b)
	}))
	h("activation.batch", typed(func(s *Server, sess *Session, p BatchParams) (any, error) {
		var progress func(done, total int)
		if s.progress != nil {
			progress = func(done, total int) { s.progress(sess, "activation.batch", done, total) }
		}
		switch {
		case p.Path != "" && p.Files != nil:
			return nil, fmt.Errorf("%w: give path or files, not both", ErrBadRequest)
		case p.Files != nil:
			return s.p.BatchFiles(sess.get(), p.Files, progress)
		case sess.Remote():
			return nil, ErrPathNotAllowed
		}
		return s.p.Batch(sess.get(), p.Path, progress)
	}))
	h("activations.list", typed(func(s *Server, sess *Session, q portal.ActivationQuery) (any, error) {
		return s.p.ListActivations(sess.get(), q)
	}))
	h("activations.export_csv", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		var b bytes.Buffer
		err := s.p.ExportActivationsCSV(sess.get(), &b)
		return CSV{CSV: b.String()}, err
	}))
	h("report.create", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.Report(sess.get())
	}))
	h("audit.list", typed(func(s *Server, sess *Session, q portal.AuditQuery) (any, error) {
		return s.p.QueryAudit(sess.get(), q)
	}))
	h("audit.actions", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.AuditActionList(sess.get())
	}))
	h("audit.verify", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.VerifyAudit(sess.get())
	}))
	h("settings.get", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.GetSettings(sess.get())
	}))
	h("settings.update", typed(func(s *Server, sess *Session, p portal.SettingsUpdate) (any, error) {
		return s.p.UpdateSettings(sess.get(), p)
	}))
	h("backup.create", typed(func(s *Server, sess *Session, p BackupParams) (any, error) {
		if sess.Remote() {
			return nil, ErrPathNotAllowed
		}
		return s.p.Backup(sess.get(), p.Path, p.Replace)
	}))
	h("backup.restore", typed(func(s *Server, sess *Session, p PathParams) (any, error) {
		if sess.Remote() {
			return nil, ErrPathNotAllowed
		}
		return nil, s.p.Restore(sess.get(), p.Path)
	}))
	h("backup.download", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.BackupData(sess.get())
	}))
	h("backup.upload", typed(func(s *Server, sess *Session, p UploadParams) (any, error) {
		return nil, s.p.RestoreData(sess.get(), p.Data)
	}))
}
