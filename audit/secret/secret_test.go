package secret

import (
	"strings"
	"testing"
)

func TestIsSecretKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		// Keys that hold secrets.
		{"password", true},
		{"DB_PASSWORD", true},
		{"dbPassword", true},
		{"db-password", true},
		{"passwd", true},
		{"MYSQL_PWD", true},
		{"MYSQL_PW", true}, // pixelplanet's ecosystem.yml: MYSQL_PW: "sqlpassword"
		{"dbPw", true},
		{"PW_MIN_LENGTH", false},
		{"DB_PASS", true},
		{"secret", true},
		{"SESSION_SECRET", true},
		{"clientSecret", true},
		{"token", true},
		{"GITHUB_TOKEN", true},
		{"accessToken", true},
		{"api_key", true},
		{"apiKey", true},
		{"APIKey", true},
		{"apikey", true},
		{"API_KEY", true},
		{"private_key", true},
		{"privateKey", true},
		{"AWS_ACCESS_KEY_ID", true}, // half of an AWS credential pair: masked too
		{"AWS_SECRET_ACCESS_KEY", true},
		{"access_key", true},
		{"STRIPE_KEY", true},
		{"encryptionKey", true},
		{"KEY", true},
		{"credentials", true},
		{"credential", true},
		{"auth", true},
		{"BASIC_AUTH", true},
		{"Authorization", true},
		{"SENTRY_DSN", true},
		{"connectionString", true},
		{"CONNECTION_STRING", true},
		{"passphrase", true},
		{"JWT_SECRET_KEY", true},
		{"SECRET_KEY_BASE", true},
		// Keys that describe a secret or merely contain the letters.
		{"kill_timeout", false},
		{"tokenizer_path", false},
		{"max_tokens", false},
		{"TOKEN_TTL", false},
		{"JWT_EXPIRES_IN", false},
		{"JWT_SECRET_EXPIRES", false},
		{"secret_file", false},
		{"PASSWORD_FILE", false},
		{"AUTH_MODE", false},
		{"AUTH_URL", false},
		{"TOKEN_HEADER", false},
		{"key", false}, // PM2 deploy's ssh key path
		{"keyboard", false},
		{"monkey", false},
		{"passenger", false},
		{"compass", false},
		{"author", false},
		{"name", false},
		{"script", false},
		{"env", false},
		{"wait_ready", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := IsSecretKey(tc.key); got != tc.want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

func TestRedactLine(t *testing.T) {
	M := Mask
	tests := []struct {
		name, in, want string
	}{
		{"js single quotes", `      DB_PASSWORD: 'x',`, `      DB_PASSWORD: '` + M + `',`},
		{"json double quotes", `  "token": "abc",`, `  "token": "` + M + `",`},
		{"json no comma", `"token": "abc"}`, `"token": "` + M + `"}`},
		{"dotenv", `API_KEY=x`, `API_KEY=` + M},
		{"export dotenv", `export API_KEY=abc123`, `export API_KEY=` + M},
		{"yaml", `    password: hunter2`, `    password: ` + M},
		{"yaml pw", `      MYSQL_PW: "sqlpassword"`, `      MYSQL_PW: "` + M + `"`},
		{"escaped quote", `pass: 'it\'s'`, `pass: '` + M + `'`},
		{"expression to end of line", `  SECRET: process.env.SECRET || 'dev-secret',`, `  SECRET: ` + M + `,`},
		{"several keys", `{ user: 'bob', password: 'pw', host: 'db' }`, `{ user: 'bob', password: '` + M + `', host: 'db' }`},
		{"cli flag", `args: '--db-password=hunter2 --port=3'`, `args: '--db-password=` + M + ` --port=3'`},
		// Secrets under keys that do not look secret (issue 9), by shape.
		{"flags in args", `args: '--password=X --token Y --port 3000',`, `args: '--password=` + M + ` --token ` + M + ` --port 3000',`},
		{"flag in node_args", `node_args: '--db-password=X'`, `node_args: '--db-password=` + M + `'`},
		{"flag quoted value", `--secret "a b" --api-key=k1`, `--secret "` + M + `" --api-key=` + M},
		{"flag then flag", `--token --verbose`, `--token --verbose`},
		{"flag array in source", `interpreter_args: ['--api-key', 'abc123'],`, `interpreter_args: ['--api-key', '` + M + `'],`},
		{"not a secret flag", `node_args: '--max-old-space-size=4096 --inspect=0.0.0.0:9229'`, `node_args: '--max-old-space-size=4096 --inspect=0.0.0.0:9229'`},
		{"connection string", `CONN: 'Server=db;User Id=sa;Password=X;Encrypt=true',`, `CONN: 'Server=db;User Id=sa;Password=` + M + `;Encrypt=true',`},
		{"odbc pwd", `ODBC: "Driver={x};Uid=u;Pwd=p4ss;"`, `ODBC: "Driver={x};Uid=u;Pwd=` + M + `;"`},
		{"basic auth", `H: 'Basic YWRtaW46aHVudGVyMg=='`, `H: 'Basic ` + M + `'`},
		{"base64 user:pass alone", `'YWRtaW46aHVudGVyMg==',`, `'` + M + `',`},
		{"base64 not a credential", `sha: 'c29tZSBzaGEgdGV4dA=='`, `sha: 'c29tZSBzaGEgdGV4dA=='`},
		{"url token as user", `https://abcdefghij0123456789XYZ@github.com/o/r.git`, `https://` + M + `@github.com/o/r.git`},
		{"url user only", `postgres://admin@db/app`, `postgres://admin@db/app`},
		{"query token", `cb: 'https://h.example/cb?token=t0k&x=1'`, `cb: 'https://h.example/cb?token=` + M + `&x=1'`},
		{"query not secret", `u: 'https://h.example/?page=2&sort=asc'`, `u: 'https://h.example/?page=2&sort=asc'`},
		{"concatenation under a secret key", `AUTH: 'Basic ' + 'base64part',`, `AUTH: ` + M + `,`},
		{"template under a secret key", "TOKEN: `${a}-${'b'}`,", "TOKEN: `" + M + "`,"},
		{"concat call under a secret key", `SECRET: 'a'.concat('b')`, `SECRET: ` + M},
		{"not secret", `kill_timeout: 1600,`, `kill_timeout: 1600,`},
		{"tokenizer", `tokenizer_path: './tok.json',`, `tokenizer_path: './tok.json',`},
		{"comparison is not assignment", `if (token == null) {`, `if (token == null) {`},
		{"arrow is not assignment", `const token => x`, `const token => x`},
		{"github classic", `const t = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'`, `const t = '` + M + `'`},
		{"github oauth", `gho_abcdefghijklmnopqrstuvwxyz0123456789`, M},
		{"github server", `x ghs_abcdefghijklmnopqrstuvwxyz0123456789 y`, `x ` + M + ` y`},
		{"github fine-grained", `github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz`, M},
		{"aws key id", `aws: 'AKIAIOSFODNN7EXAMPLE',`, `aws: '` + M + `',`},
		{"slack", `hook: 'xoxb-1234567890-abcdefghij'`, `hook: '` + M + `'`},
		{"bearer", `headers: { Authorization: 'Bearer abc.def.ghi' }`, `headers: { Authorization: '` + M + `' }`},
		{"bearer alone", `curl -H "X: Bearer abcdefgh123"`, `curl -H "X: Bearer ` + M + `"`},
		{"url password", `DATABASE_URL: 'postgres://admin:s3cr3t@db:5432/app',`, `DATABASE_URL: 'postgres://admin:` + M + `@db:5432/app',`},
		{"redis empty user", `redis://:pa55@cache:6379`, `redis://:` + M + `@cache:6379`},
		{"url without password", `url: 'https://example.com/a:b'`, `url: 'https://example.com/a:b'`},
		{"jwt", `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.abcdefghijklmnop`, M},
		{"pem", `key: '-----BEGIN RSA PRIVATE KEY-----MIIE'`, `key: '` + M},
		{"empty", ``, ``},
		{"prose about tokens", `// the token expired, Basic authentication`, `// the token expired, Basic authentication`},
		{"secret key with nothing after", `password:`, `password:`},
		{"multi line", "a: 1\npassword: x", "a: 1\npassword: " + M},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RedactLine(tc.in)
			if got != tc.want {
				t.Errorf("RedactLine(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if again := RedactLine(got); again != got {
				t.Errorf("RedactLine is not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestLooksSecret(t *testing.T) {
	for _, s := range []string{"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "postgres://u:p@h/db", "Bearer abcdefgh",
		"--password=X --token Y", "--db-password=X", "Server=db;User Id=sa;Password=X;", "Basic YWRtaW46aHVudGVyMg==",
		"YWRtaW46aHVudGVyMg==", "https://abcdefghij0123456789XYZ@github.com/", "https://x/?access_token=abc", "sk-abcdefghijklmnopqrstuvwx", "AKIAIOSFODNN7EXAMPLE", "xoxb-1234567890-abc"} {
		if !LooksSecret(s) {
			t.Errorf("LooksSecret(%q) = false", s)
		}
	}
	for _, s := range []string{"index.js", "https://example.com", "--max-old-space-size=2048", "production", "--port 3000",
		"--env production", "--no-daemon", "Server=db;Database=app", "Basic authentication", "--inspect=0.0.0.0:9229", "--key-file=/etc/k.pem"} {
		if LooksSecret(s) {
			t.Errorf("LooksSecret(%q) = true", s)
		}
	}
}

// FuzzRedactLine checks that redaction never panics, is idempotent and
// never lets a quoted password value through.
func FuzzRedactLine(f *testing.F) {
	for _, s := range []string{`password: 'x'`, `"token": "x"`, `API_KEY=x`, `postgres://a:b@c`, `Bearer abcdefgh`, `ghp_abcdefghijklmnopqrstuvwxyz0123456789`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := RedactLine(s)
		if RedactLine(got) != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, RedactLine(got))
		}
		if strings.Contains(s, "\n") {
			return
		}
		line := "password: '" + strings.ReplaceAll(strings.ReplaceAll(s, "'", ""), `\`, "") + "',"
		if red := RedactLine(line); red != "password: '"+Mask+"'," {
			t.Fatalf("RedactLine(%q) = %q", line, red)
		}
	})
}
