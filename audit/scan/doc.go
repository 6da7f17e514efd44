package scan

import "bytes"

// docAnchors: a documentation file without any of these cannot produce
// evidence.
var docAnchors = [][]byte{[]byte("process"), []byte("_ready"), []byte("_timeout"), []byte("shutdown_with_message"), []byte("kill_signal")}

// Doc scans a documentation file (Markdown, plain text, reStructuredText)
// for mentions of PM2 options (OptionMention, Detail = the option name)
// and handshake-looking text such as process.send('ready') (OptionMention
// with Detail HandshakeDetail, plus ReadyMention with Detail MentionDoc),
// all in Context doc with their lines. Documentation is never evidence of
// implementation: a doc recommending wait_ready is a mention only.
func Doc(path string, src []byte) []Evidence {
	if !mayMatchDoc(src) {
		return nil
	}
	return sortEvidence(appendMentions(nil, path, src, 0, len(src), 1, InDoc))
}

func mayMatchDoc(src []byte) bool {
	for _, a := range docAnchors {
		if bytes.Contains(src, a) {
			return true
		}
	}
	return false
}
