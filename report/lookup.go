package report

import "github.com/auditbot/auditbot/audit"

func (b *builder) headAppsOf(eco string) []audit.App {
	for i := range b.doc.Ecosystems {
		if b.doc.Ecosystems[i].Path == eco {
			return headApps(&b.doc.Ecosystems[i])
		}
	}
	return nil
}

func (b *builder) baseAppsOf(eco string) []audit.App {
	for i := range b.doc.Ecosystems {
		e := &b.doc.Ecosystems[i]
		if e.Path == eco && e.Base != nil && e.Base.Error == nil {
			return e.Base.Apps
		}
	}
	return nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func appendNew(s []string, x string) []string {
	if x == "" || contains(s, x) {
		return s
	}
	return append(s, x)
}
