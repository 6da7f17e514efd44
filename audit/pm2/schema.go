package pm2

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

//go:embed schema.json
var schemaJSON []byte

// Option is one entry of PM2's option schema.
type Option struct {
	// Key is the schema key, e.g. "wait_ready".
	Key string
	// Types are the accepted JavaScript types: string, number, boolean,
	// array, object.
	Types []string
	// Aliases are the explicit aliases (interpreter, interpreter_args...).
	Aliases []string
	// Regex and Desc are the format check and its message, if any.
	Regex string
	Desc  string
	// Min is the minimum for numbers (min_uptime 100, max_restarts 0).
	Min *float64
	// ExtType is "sbyte" (max_memory_restart) or "stime" (min_uptime).
	ExtType string
	// Description is PM2's own description (docDescription).
	Description string
}

// Schema is PM2's option schema with its alias rules.
type Schema struct {
	options map[string]*Option
	// byAlias maps every accepted spelling to its schema key.
	byAlias map[string]string
	regex   map[string]*regexp.Regexp
}

type rawOption struct {
	Type           json.RawMessage `json:"type"`
	Alias          json.RawMessage `json:"alias"`
	Regex          string          `json:"regex"`
	Desc           string          `json:"desc"`
	Min            *float64        `json:"min"`
	ExtType        string          `json:"ext_type"`
	DocDescription string          `json:"docDescription"`
}

// envKeyPattern is the schema's regex key for named environments.
const envKeyPattern = `^env_\S*$`

// defaultSchema is parsed once at package initialisation from the
// embedded file and never modified afterwards.
var defaultSchema = mustParseSchema(schemaJSON)

// Default returns PM2's schema. It is read-only and safe for concurrent use.
func Default() *Schema { return defaultSchema }

func mustParseSchema(data []byte) *Schema {
	s, err := parseSchema(data)
	if err != nil {
		panic(err) // the embedded file is fixed at build time and tested
	}
	return s
}

func parseSchema(data []byte) (*Schema, error) {
	var raw map[string]rawOption
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse PM2 schema: %w", err)
	}
	s := &Schema{options: map[string]*Option{}, byAlias: map[string]string{}, regex: map[string]*regexp.Regexp{}}
	for key, r := range raw {
		o := &Option{Key: key, Regex: r.Regex, Desc: r.Desc, Min: r.Min, ExtType: r.ExtType, Description: r.DocDescription}
		o.Types = stringOrList(r.Type)
		o.Aliases = stringOrList(r.Alias)
		if r.Regex != "" {
			re, err := regexp.Compile(r.Regex)
			if err != nil {
				return nil, fmt.Errorf("PM2 schema regex for %s: %w", key, err)
			}
			s.regex[key] = re
		}
		s.options[key] = o
		if key == envKeyPattern {
			continue
		}
		s.byAlias[key] = key
		// Every key also accepts its camelCase spelling (lib/tools/Config.js:23-55).
		s.byAlias[CamelCase(key)] = key
		for _, a := range o.Aliases {
			s.byAlias[a] = key
		}
	}
	// cmd and command are aliases of script in ecosystem files
	// (lib/Common.js:697-705, docs/pm2-behaviour.md#unknown-options-dropped).
	s.byAlias["cmd"] = "script"
	s.byAlias["command"] = "script"
	return s, nil
}

func stringOrList(m json.RawMessage) []string {
	if len(m) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(m, &one) == nil {
		return []string{one}
	}
	var list []string
	_ = json.Unmarshal(m, &list)
	return list
}

// CamelCase turns snake_case into camelCase the way PM2 builds its
// automatic aliases (wait_ready -> waitReady).
func CamelCase(key string) string {
	parts := strings.Split(key, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// Canonical returns the schema key a spelling stands for (interpreter ->
// exec_interpreter, waitReady -> wait_ready, env_production -> itself)
// and whether PM2 keeps the key at all. Unknown keys are dropped by PM2's
// validator without a warning (docs/pm2-behaviour.md#invalid-values-abort).
func (s *Schema) Canonical(key string) (string, bool) {
	if k, ok := s.byAlias[key]; ok {
		return k, true
	}
	if strings.HasPrefix(key, "env_") && !strings.ContainsAny(key, " \t\r\n") && len(key) > len("env_") {
		return key, true
	}
	return "", false
}

// Lookup returns the schema entry of a (possibly aliased) key.
func (s *Schema) Lookup(key string) (*Option, bool) {
	k, ok := s.Canonical(key)
	if !ok {
		return nil, false
	}
	if strings.HasPrefix(k, "env_") {
		return s.options[envKeyPattern], true
	}
	o, ok := s.options[k]
	return o, ok
}

// Keys returns every schema key except the env_ pattern, sorted.
func (s *Schema) Keys() []string {
	keys := make([]string, 0, len(s.options))
	for k := range s.options {
		if k != envKeyPattern {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Regexp returns the compiled format check of a schema key, or nil.
func (s *Schema) Regexp(key string) *regexp.Regexp { return s.regex[key] }

// spellings are the keys PM2 reads a canonical option from, in the order
// it tries them: the key itself, then (script only) cmd and command,
// which verifyConfs copies to script, then the schema's aliases as
// lib/tools/Config.js orders them (the last declared first), then the
// camelCase spelling.
func (s *Schema) spellings(canonical string) []string {
	out := []string{canonical}
	if canonical == "script" {
		out = append(out, "cmd", "command")
	}
	if o, ok := s.options[canonical]; ok {
		for i := len(o.Aliases) - 1; i >= 0; i-- {
			out = append(out, o.Aliases[i])
		}
	}
	if c := CamelCase(canonical); c != canonical {
		out = append(out, c)
	}
	return out
}

// Pick chooses, for each option an app writes under one spelling or
// more, the spelling whose value PM2 reads, and returns its index in
// keys (the app's keys in source order; a key written twice is its last
// occurrence, as in JavaScript). PM2 keeps the first spelling, in the
// order of spellings, whose value is truthy (`conf[key] || (conf[key] =
// json[alias])`, lib/tools/Config.js validateJSON; docs/pm2-behaviour.md#option-aliases):
// truthy(i) says whether keys[i]'s value is, and whether that is known;
// a value computed at run time is kept as possibly truthy. When no
// spelling's value is truthy PM2 drops the option
// (docs/pm2-behaviour.md#falsy-values-dropped); Pick still returns the
// first falsy spelling written, so that callers can say so. Keys PM2
// does not know are left out.
func (s *Schema) Pick(keys []string, truthy func(i int) (truthy, known bool)) map[string]int {
	last := map[string]int{}
	written := map[string]bool{}
	for i, k := range keys {
		last[k] = i
		if c, ok := s.Canonical(k); ok {
			written[c] = true
		}
	}
	out := make(map[string]int, len(written))
	for c := range written {
		if strings.HasPrefix(c, "env_") {
			out[c] = last[c] // named environments have no other spelling
			continue
		}
		first := -1
		for _, sp := range s.spellings(c) {
			i, ok := last[sp]
			if !ok {
				continue
			}
			if first < 0 {
				first = i
			}
			if t, known := truthy(i); t || !known {
				first = i
				break
			}
		}
		out[c] = first
	}
	return out
}
