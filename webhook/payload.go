package webhook

import (
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fastjson"
)

// maxPooledBody bounds the bodies whose buffers (and parsers) are kept
// for the next delivery; GitHub's payloads are mostly well under it, and
// a rare big one is not kept alive by the pools.
const maxPooledBody = 1 << 20

// eventFields are the few fields of a pull_request or issue_comment
// delivery that decide whether it makes a job, and the job's identity.
// The acknowledgement reads only these: decoding go-github's full event
// types (hundreds of fields, most of a 28 KB payload) cost most of its
// CPU, and nothing after the acknowledgement reads the payload again (a
// job reads the pull request from the API).
type eventFields struct {
	action       string
	fullName     string // repository.full_name
	installation int64  // installation.id; 0 when absent (token mode)
	number       int    // pull_request.number, or issue.number

	// pull_request
	head, base  string // pull_request.head.sha, pull_request.base.sha
	baseChanged bool   // changes.base present (edited: the base branch changed)

	// issue_comment
	onPullRequest bool // issue.pull_request present: the issue is a pull request
	botComment    bool // comment.user.type is "Bot"
	command       bool // the comment's first word is /auditbot
}

// decodeEvent reads the fields of a signed pull_request or issue_comment
// body. The body must be valid JSON (RFC 8259) whose top level is an
// object; a field read here that has the wrong type is an error, as it is
// for encoding/json. Missing and null fields read as zero values. Keys are
// matched exactly, as GitHub writes them.
func decodeEvent(p *fastjson.Parser, event string, body []byte) (eventFields, error) {
	var f eventFields
	// Parse checks the structure; Validate also the strings and numbers
	// Parse takes as they are.
	if err := fastjson.ValidateBytes(body); err != nil {
		return f, fmt.Errorf("invalid JSON: %w", err)
	}
	v, err := p.ParseBytes(body)
	if err != nil {
		return f, fmt.Errorf("invalid JSON: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		return f, fmt.Errorf("payload is a JSON %s, not an object", v.Type())
	}
	r := fieldReader{root: v}
	f.action = r.str("action")
	f.fullName = r.str("repository", "full_name")
	f.installation = r.int64("installation", "id")
	switch event {
	case "pull_request":
		f.number = r.int("pull_request", "number")
		f.head = r.str("pull_request", "head", "sha")
		f.base = r.str("pull_request", "base", "sha")
		f.baseChanged = r.object("changes", "base")
	case "issue_comment":
		f.number = r.int("issue", "number")
		f.onPullRequest = r.object("issue", "pull_request")
		f.botComment = r.str("comment", "user", "type") == "Bot"
		f.command = isCommand(r.str("comment", "body"))
	default:
		return f, fmt.Errorf("event %q has no job", event)
	}
	if r.err != nil {
		return eventFields{}, r.err
	}
	return f, nil
}

// fieldReader reads typed fields out of a parsed payload; the first type
// error is kept in err and later reads return zero values.
type fieldReader struct {
	root *fastjson.Value
	err  error
}

// lookup returns the value at path, nil when a key on the way is missing
// or null. A value on the way that is neither an object nor null is an
// error.
func (r *fieldReader) lookup(path ...string) *fastjson.Value {
	if r.err != nil {
		return nil
	}
	v := r.root
	for i, key := range path {
		if v.Type() != fastjson.TypeObject {
			r.err = fmt.Errorf("%s: a JSON %s, not an object", strings.Join(path[:i], "."), v.Type())
			return nil
		}
		v = v.Get(key)
		if v == nil || v.Type() == fastjson.TypeNull {
			return nil
		}
	}
	return v
}

func (r *fieldReader) str(path ...string) string {
	v := r.lookup(path...)
	if v == nil {
		return ""
	}
	b, err := v.StringBytes()
	if err != nil {
		r.fail(path, err)
		return ""
	}
	return string(b)
}

func (r *fieldReader) int64(path ...string) int64 {
	v := r.lookup(path...)
	if v == nil {
		return 0
	}
	n, err := v.Int64()
	if err != nil {
		r.fail(path, err)
	}
	return n
}

func (r *fieldReader) int(path ...string) int {
	v := r.lookup(path...)
	if v == nil {
		return 0
	}
	n, err := v.Int()
	if err != nil {
		r.fail(path, err)
	}
	return n
}

// object tells whether an object is at path (a value of another type is
// an error).
func (r *fieldReader) object(path ...string) bool {
	v := r.lookup(path...)
	if v == nil {
		return false
	}
	if v.Type() != fastjson.TypeObject {
		r.fail(path, errors.New("not an object"))
		return false
	}
	return true
}

func (r *fieldReader) fail(path []string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", strings.Join(path, "."), err)
	}
}
