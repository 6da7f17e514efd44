// Package secret decides which configuration keys name secrets and masks
// secret values in values and in source lines, so that no password, token
// or key read from an audited repository ever reaches an output.
//
// The key test works on words: a key is split into lower-case words at
// underscores, dashes, dots, spaces and camelCase boundaries, so
// "DB_PASSWORD", "dbPassword" and "db-password" all name a password while
// "tokenizer_path" (the word is "tokenizer") and "max_tokens" (a limit,
// not a token) do not.
package secret

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"unicode"
)

// Mask replaces every secret value.
const Mask = "••••••"

// secretWords are words that make a key secret on their own.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pw": true, "pass": true, "passphrase": true,
	"secret": true, "secrets": true, "token": true, "tokens": true,
	"apikey": true, "credential": true, "credentials": true, "creds": true,
	"auth": true, "authorization": true, "dsn": true, "salt": true,
	"cookie": true, "privatekey": true, "accesskey": true, "secretkey": true,
	"connectionstring": true, "connstr": true, "signature": true,
}

// notSecretWords mark keys that describe a secret without holding it: a
// limit, a lifetime, a path or file, a name, a mode, an endpoint.
var notSecretWords = map[string]bool{
	"max": true, "min": true, "num": true, "count": true, "limit": true,
	"ttl": true, "timeout": true, "expiry": true, "expires": true, "expire": true,
	"expiration": true, "length": true, "len": true, "size": true,
	"path": true, "file": true, "dir": true, "type": true, "mode": true,
	"enabled": true, "enable": true, "disabled": true, "disable": true,
	"header": true, "name": true, "url": true, "uri": true, "endpoint": true,
	"host": true, "port": true, "algorithm": true, "alg": true,
	"strategy": true, "provider": true, "method": true, "version": true,
	"required": true, "policy": true,
}

// splitWords splits a key into lower-case words at non-alphanumeric
// characters and at camelCase boundaries ("dbPassword" -> db, password;
// "APIKey" -> api, key).
func splitWords(key string) []string {
	var words []string
	var cur []rune
	rs := []rune(key)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// IsSecretKey reports whether a configuration or environment key names a
// secret: password, passwd, pwd, pw, pass, secret, token, api_key/apikey,
// private_key, access_key, credential(s), auth, authorization, dsn,
// connection strings, salt, cookie, and any multi-word key ending in "key"
// (STRIPE_KEY, encryptionKey) or the bare upper-case KEY. Keys that only
// describe a secret (TOKEN_TTL, max_tokens, secret_file, password_path,
// AUTH_MODE, tokenizer_path) are not secret.
func IsSecretKey(key string) bool {
	words := splitWords(key)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if notSecretWords[w] {
			return false
		}
	}
	// Joined pairs catch "api_key", "private-key", "connection_string".
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		if i+1 < len(words) && secretWords[w+words[i+1]] {
			return true
		}
	}
	last := words[len(words)-1]
	if last == "key" || last == "keys" {
		if len(words) > 1 {
			return true
		}
		return key == "KEY" || key == "KEYS"
	}
	return false
}

// tokenShapes are well-known credential shapes, masked wherever they
// appear (joined into one expression, tokenPattern, for speed).
var tokenShapes = []string{
	`\bgh[pousr]_[A-Za-z0-9]{20,}`,                                            // GitHub tokens
	`\bgithub_pat_[A-Za-z0-9_]{20,}`,                                          // GitHub fine-grained PAT
	`\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b`, // AWS key ids
	`\bxox[abposr]-[A-Za-z0-9-]{10,}`,                                         // Slack
	`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}`,                              // Stripe
	`\bsk-[A-Za-z0-9_-]{20,}`,                                                 // OpenAI-style
	`\bnpm_[A-Za-z0-9]{30,}`,                                                  // npm
	`\bAIza[0-9A-Za-z_-]{35}`,                                                 // Google API key
	`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,         // JWT
	`https://hooks\.slack\.com/services/[A-Za-z0-9/]+`,                        // Slack webhook
	`-----BEGIN [A-Z ]*PRIVATE KEY-----.*`,                                    // PEM
}

// tokenPattern matches any of tokenShapes.
var tokenPattern = regexp.MustCompile(strings.Join(tokenShapes, "|"))

// bearerPattern keeps the scheme word and masks the credential.
var bearerPattern = regexp.MustCompile(`(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{6,}`)

// urlCredPattern matches user:password@ in a URL; the password is masked.
var urlCredPattern = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([^\s/:@'"` + "`" + `]*):([^\s/@'"` + "`" + `]+)@`)

// keyPattern finds `key: value`, `"key": value`, `key = value`,
// `--key=value` assignments; the separator is checked by the caller.
var keyPattern = regexp.MustCompile(`([A-Za-z_$][A-Za-z0-9_$.-]*)(["'` + "`" + `]?)[ \t]*([:=])`)

// LooksSecret reports whether a value has the shape of a credential
// whatever its key: a well-known token format, a Bearer or Basic
// credential, base64 "user:password", a URL carrying user:password@ or a
// token as its user, a secret query parameter, a command-line flag that
// names a secret (--db-password=x, --token x) or a connection string's
// Password=x.
func LooksSecret(value string) bool {
	return redactShapes(value) != value
}

// redactShapes masks the credentials a value shows by its shape (see
// LooksSecret).
func redactShapes(s string) string {
	if containsAny(s, tokenMarkers) {
		s = tokenPattern.ReplaceAllLiteralString(s, Mask)
	}
	if strings.Contains(strings.ToLower(s), "bearer") {
		s = bearerPattern.ReplaceAllString(s, "${1}${2}"+Mask)
	}
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlCredPattern.ReplaceAllString(s, "${1}${2}:"+Mask+"@")
		s = urlUserTokenPattern.ReplaceAllString(s, "${1}"+Mask+"@")
	}
	if strings.Contains(s, "-") {
		s = redactFlags(s)
	}
	if strings.Contains(s, "=") {
		s = redactGroups(s, connPasswordPattern, 2, func(string) bool { return true })
		s = redactGroups(s, queryParamPattern, 3, func(m string) bool { return IsSecretKey(m) })
	}
	s = redactGroups(s, base64Pattern, 1, func(string) bool { return true })
	return s
}

// connPasswordPattern finds Password=x / Pwd=x in a connection string
// (ADO.NET, ODBC, JDBC properties); the value runs to the next ';'.
var connPasswordPattern = regexp.MustCompile(`(?i)((?:^|[;'"\s])\s*(?:password|pwd|passwd|user password)\s*=\s*)([^;'"\s][^;'"]*)`)

// queryParamPattern finds ?name=value / &name=value in a URL; the value
// is masked when the name is a secret key (token, password, api_key...).
var queryParamPattern = regexp.MustCompile(`([?&;])(([A-Za-z0-9_.-]+)=)([^&#\s'"` + "`" + `]+)`)

// urlUserTokenPattern matches a URL whose user part alone is a long
// token (https://<token>@github.com/...).
var urlUserTokenPattern = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([A-Za-z0-9_-]{20,})@`)

// base64Pattern matches a base64 word; it is masked when it decodes to
// "user:password" (HTTP Basic credentials, with or without "Basic").
var base64Pattern = regexp.MustCompile(`(?:^|[^A-Za-z0-9+/=])([A-Za-z0-9+/]{8,}={0,2})`)

// redactGroups masks capture group g of every match of re whose text (for
// queryParamPattern, the name in group 3) passes ok.
func redactGroups(s string, re *regexp.Regexp, g int, ok func(string) bool) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		vs, ve := m[2*g], m[2*g+1]
		if re == queryParamPattern {
			vs, ve = m[8], m[9]
			if !ok(s[m[6]:m[7]]) {
				continue
			}
		}
		if vs < 0 || s[vs:ve] == Mask || strings.HasPrefix(s[vs:ve], Mask) {
			continue
		}
		if re == base64Pattern && !basicCredential(s[vs:ve]) {
			continue
		}
		b.WriteString(s[last:vs])
		b.WriteString(Mask)
		last = ve
	}
	b.WriteString(s[last:])
	return b.String()
}

// basicCredential reports whether w is base64 of "user:password".
func basicCredential(w string) bool {
	if len(w)%4 != 0 {
		return false
	}
	d, err := base64.StdEncoding.DecodeString(w)
	if err != nil || len(d) < 3 {
		return false
	}
	i := bytes.IndexByte(d, ':')
	if i <= 0 || i == len(d)-1 {
		return false
	}
	for _, c := range d {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// flagPattern finds a command-line flag and its value: --name=value,
// --name value, and '--name', 'value' (an args array written in source).
var flagPattern = regexp.MustCompile(`(?:^|[\s'"\[,(])(--?[A-Za-z][A-Za-z0-9_.-]*)(=|[ \t]+|['"][ \t]*,[ \t]*['"])("[^"]*"|'[^']*'|[^\s'"]+)`)

// SecretFlag reports whether a command-line flag (--db-password,
// --token, --api-key, -key) names a secret, so that its value is masked.
func SecretFlag(flag string) bool {
	name := strings.TrimLeft(flag, "-")
	if name == "" || name == flag {
		return false
	}
	if IsSecretKey(name) {
		return true
	}
	words := splitWords(name)
	return len(words) > 0 && (words[len(words)-1] == "key" || words[len(words)-1] == "keys") && !notSecretAny(words)
}

func notSecretAny(words []string) bool {
	for _, w := range words {
		if notSecretWords[w] {
			return true
		}
	}
	return false
}

// redactFlags masks the values of flags that name secrets.
func redactFlags(s string) string {
	ms := flagPattern.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		flag, sep, val := s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		if !SecretFlag(flag) || m[6] < last {
			continue
		}
		// "--token --port 3": the next word is another flag, not a value.
		if sep != "=" && strings.HasPrefix(val, "-") {
			continue
		}
		vs, ve := m[6], m[7]
		if q := val[0]; (q == '"' || q == '\'') && len(val) >= 2 {
			vs, ve = vs+1, ve-1
		}
		if s[vs:ve] == Mask || vs >= ve {
			continue
		}
		b.WriteString(s[last:vs])
		b.WriteString(Mask)
		last = ve
	}
	b.WriteString(s[last:])
	return b.String()
}

// tokenMarkers are literal parts every tokenShapes match contains: a
// string with none of them cannot match (a fast path for the common case).
var tokenMarkers = []string{"gh", "xox", "sk_", "rk_", "sk-", "npm_", "AIza", "eyJ", "hooks.slack", "PRIVATE KEY",
	"A3T", "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// RedactLine returns line with every secret masked: the value of any
// assignment whose key names a secret (`DB_PASSWORD: 'x',`, `"token":
// "x"`, `API_KEY=x`, `--db-password=x`), well-known token shapes (GitHub
// ghp_/gho_/ghs_/github_pat_, AWS AKIA..., Slack xox*, Stripe, npm, JWT,
// PEM private keys), `Bearer x` and passwords in URLs (`user:pass@`). A
// quoted value is masked inside its quotes; an unquoted value or an
// expression is masked up to the end of the line, keeping a trailing
// comma. Several lines separated by newlines are redacted one by one.
// RedactLine is idempotent.
func RedactLine(line string) string {
	if strings.Contains(line, "\n") {
		parts := strings.Split(line, "\n")
		for i, p := range parts {
			parts[i] = RedactLine(p)
		}
		return strings.Join(parts, "\n")
	}
	line = redactShapes(line)
	if !strings.ContainsAny(line, ":=") {
		return line
	}
	var b strings.Builder
	rest := line
	for {
		loc := keyPattern.FindStringSubmatchIndex(rest)
		if loc == nil {
			b.WriteString(rest)
			break
		}
		key := rest[loc[2]:loc[3]]
		sepEnd := loc[1]
		sep := rest[loc[6]:loc[7]]
		// Not an assignment: `==`, `=>`, `::`, and `https://`.
		if sepEnd < len(rest) && ((sep == "=" && (rest[sepEnd] == '=' || rest[sepEnd] == '>')) ||
			(sep == ":" && (rest[sepEnd] == ':' || rest[sepEnd] == '/'))) || !IsSecretKey(key) {
			b.WriteString(rest[:sepEnd])
			rest = rest[sepEnd:]
			continue
		}
		b.WriteString(rest[:sepEnd])
		rest = rest[sepEnd:]
		// Skip spaces after the separator.
		i := 0
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		if rest == "" {
			break
		}
		if strings.HasPrefix(rest, Mask) {
			// Masked by its shape already (--password=x): the rest of
			// the line is read on.
			b.WriteString(Mask)
			rest = rest[len(Mask):]
			continue
		}
		if q := rest[0]; q == '\'' || q == '"' || q == '`' {
			end := closingQuote(rest, q)
			if end > 0 && valueEnds(rest[end+1:]) {
				b.WriteByte(q)
				b.WriteString(Mask)
				b.WriteByte(q)
				rest = rest[end+1:]
				continue
			}
			// A quoted literal that goes on ('a' + 'b', `x${y}` + z,
			// 'a'.concat(b)): every part of the expression is the
			// secret, so all of it is masked, below.
		}
		// Unquoted value or expression: mask to the end of the line,
		// keeping a trailing comma or semicolon.
		trimmed := strings.TrimRight(rest, " \t\r")
		tail := ""
		if strings.HasSuffix(trimmed, ",") || strings.HasSuffix(trimmed, ";") {
			tail = trimmed[len(trimmed)-1:]
		}
		if strings.TrimSpace(rest) != "" {
			b.WriteString(Mask)
			b.WriteString(tail)
		}
		rest = ""
		break
	}
	return b.String()
}

// valueEnds reports whether what follows a quoted value ends it: the end
// of the line, a comma, a closing bracket, a semicolon or a comment.
func valueEnds(after string) bool {
	t := strings.TrimLeft(after, " \t\r")
	return t == "" || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") || strings.ContainsRune(",;)}]", rune(t[0]))
}

// closingQuote returns the index of the quote closing s[0] (honouring
// backslash escapes), or -1.
func closingQuote(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return -1
}
