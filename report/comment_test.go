package report

import (
	"strings"
	"testing"
)

// TestCommentCarriesTheSeedFacts protects the pull request comment of
// `auditbot demo` (the seed's case): within its size budget it still
// carries every section of the hand-written seed audit and the facts of
// each, in both languages. The final configuration shows the app the
// change touches, each principle on its options, the full file one click
// away; the checklist points to the procedure's steps; the rollback names
// the real base commit. A section left out, or a fact dropped from it,
// fails here.
func TestCommentCarriesTheSeedFacts(t *testing.T) {
	doc := loadDoc(t, "demo")
	const repoURL = "https://github.com/acme/shop"
	base, head := doc.Base.SHA, doc.Head.SHA
	const js, cjs = "ecosystem.config.js", "ecosystem.config.cjs"
	apply := "pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager"
	// Facts said the same way in both languages: commands, values, code.
	common := map[string][]string{
		"first": {"**", "`services/session-manager/`", "`" + cjs + ":38`, `" + js + ":57`", "cd services/session-manager && " + apply},
		"findings": {"`wait-ready-without-handshake`", "`twin-config-drift`", "`helper-script-unreferenced`", "start-with-xvfb.sh",
			"`" + cjs + ":5`, `" + js + ":13`"},
		"1": {"`wait_ready`: `true`", "`" + cjs + "` (", "38)", "`listen_timeout`: `15000`", "`10000`", "58)"},
		"2": {"git grep -n -E 'listen_timeout|wait_ready|process\\.send' " + head + " -- services/session-manager",
			"docs/INIT_ENDPOINT_REPORT.md", "708-709", "❌", "`process.send('ready')`", "`GET /health`", "`GET /status`",
			"// index.js:23\nconst server = app.listen(PORT", "process.on('SIGINT', () => gracefulShutdown('SIGINT'));",
			"`script: 'index.js'`", "`node`", "`node_args: '--max-old-space-size=2048'`", "`node_args: '--max-old-space-size=1536 --experimental-modules'`"},
		"3": {repoURL + "/compare/" + base + "..." + head, "| `wait_ready: true` |", "| `listen_timeout: 15000 / 10000` |", "❌",
			"| `kill_timeout: 30000 / 10000` |", "✅", "(15000 / 10000 ms)", "`launching`", "`online`"},
		"4": {"](" + repoURL + "/blob/" + head + "/services/session-manager/" + js + ")", "```javascript\nmodule.exports = {",
			"name: 'session-manager',", "script: 'index.js',", "cwd: '/root/leadmaster-workspace/services/session-manager',",
			"instances: 1,", "exec_mode: 'fork',", "PORT: 3001", "LOGIN_MODE: 'server'", "env_local: {", "LOGIN_MODE: 'local'",
			"autorestart: true,", "max_restarts: 10,", "min_uptime: '10s',", "max_memory_restart: '1G',", "exp_backoff_restart_delay: 100,",
			"restart_delay: 5000,", "error_file: '/root/.pm2/logs/session-manager-error.log',", "out_file: '/root/.pm2/logs/session-manager-out.log',",
			"watch: false,", "ignore_watch: ['node_modules', '.wwebjs_auth', '.git'],", "kill_timeout: 10000,", "stop_exit_codes: [0],",
			"node_args: '--max-old-space-size=2048'", "`" + cjs + "`"},
		"5": {"cd services/session-manager\n", "pm2 delete session-manager\npm2 start ecosystem.config.js --only session-manager",
			"pm2 show session-manager", "pm2 logs session-manager --lines 80 --nostream", "ss -ltnp | grep ':3001\\b'", "netstat -tulpn",
			"curl -fsS http://localhost:3001/health", "pm2 start ecosystem.config.js --only session-manager --env local", "pm2 save", "`3001`"},
		"6": {"`online`", "`wait_ready`", "`pm2 restart <app>`", "git checkout " + base + " -- services/session-manager/" + cjs + " services/session-manager/" + js,
			"git revert " + head, "(cd services/session-manager && " + apply + ")", "pm2 save"},
		"7": {"| `kill_timeout` | `30000` | `10000` |", "| `node_args` | `'--max-old-space-size=1536 --experimental-modules'` | `'--max-old-space-size=2048'` |",
			"| `env.SESSION_SECRET` | — | `'••••••'` |", "`15000` | `10000` |", "`" + js + "`"},
		"8":      {"```bash\nchmod +x start-with-xvfb.sh\n```"},
		"9":      {"- [ ] ", "`pm2 --version`", "`pm2 save`", "`pm2 list`", "`3001`", "`LISTEN`", "200", "`pm2 monit`"},
		"10":     {"⚠️ **"},
		"11":     {"https://pm2.keymetrics.io/docs/usage/signals-clean-restart/#graceful-start", "https://pm2.keymetrics.io/docs/usage/application-declaration/"},
		"footer": {"auditbot test", "`" + doc.Base.Short + "`", "`" + doc.Head.Short + "`"},
	}
	// The words of each language: section titles and the facts said in
	// prose.
	words := map[string]map[string][]string{
		"es": {
			"first":    {"⚠️ APROBADO CON ADVERTENCIAS", "**El cambio introduce:** ningún hallazgo.", "**El cambio corrige:**", "**Sin cambios:** H2, H3", "**Aplicar el cambio en el servidor**"},
			"findings": {"<details><summary>Hallazgos (3)</summary>", "script provisional"},
			"1":        {"1. Contexto y alcance", "**Tipo:** Simplificación de la configuración de PM2", "**Alcance:**", "**Justificación:** el cambio corrige H1."},
			"2":        {"2. Auditoría ejecutada", "(documentación, no implementación)", "NO existe `process.send('ready')` en ninguna parte del código", "### 2.2 Validación del código", "ejecución directa con Node.js", "no hay wrapper de shell", "flags de Node.js"},
			"3":        {"3. Decisión técnica", "**No implementado.**", "❌ Eliminar", "✅ Mantener", "**Irrelevante**", "**Antes del cambio:**", "**Después del cambio:**", "**Riesgo:** ✅ ninguno"},
			"4":        {"4. Configuración canónica final", "// Instancia única\n", "// Sin watch\n", "// Apagado ordenado\n", "// Sin handshake de arranque (valores por defecto)\n", "// Recuperación automática limitada\n", "// Límite de memoria\n", "// Heap de Node.js\n"},
			"5":        {"5. Procedimiento operativo", "pm2 restart no lo relee", "Otros entornos del archivo"},
			"6":        {"6. Riesgos y rollback", "| Riesgo | Probabilidad | Impacto | Mitigación |", "### 6.2 Estrategia de rollback", "**Condiciones de rollback:**"},
			"7":        {"7. Diferencias entre variantes", "(H2)", "(eliminada)", "**Recomendación**", "carga por defecto"},
			"8":        {"8. Scripts auxiliares", "`start-with-xvfb.sh` (H3)"},
			"9":        {"9. Checklist de validación", "### 9.1 Antes del despliegue", "Confirmar que PM2 está instalado", "Persistir la lista de procesos", "reinicios en bucle"},
			"10":       {"10. Conclusiones", "### 10.1 Estado final", "**Aprobado con advertencias.**", "### 10.2 Próximos pasos", "**H2.**", "**H3.**"},
			"11":       {"11. Referencias", "**Documentación de PM2:**"},
			"footer":   {"_Generado por auditbot"},
		},
		"en": {
			"first":    {"⚠️ APPROVED WITH WARNINGS", "**The change introduces:** no finding.", "**The change fixes:**", "**Unchanged:** F2, F3", "**Apply the change on the server**"},
			"findings": {"<details><summary>Findings (3)</summary>", "placeholder"},
			"1":        {"1. Context and scope", "**Type:**", "**Scope:**", "**Rationale:** the change fixes F1."},
			"2":        {"2. Audit performed", "(documentation, not implementation)", "There is NO `process.send('ready')` anywhere in the code", "### 2.2 Code validation", "run directly by Node.js", "no shell wrapper", "Node.js flags"},
			"3":        {"3. Technical decision", "**Not implemented.**", "❌ Remove", "✅ Keep", "**Irrelevant**", "**Before the change:**", "**After the change:**", "**Risk:** ✅ none"},
			"4":        {"4. Final canonical configuration", "// Single instance\n", "// No watch\n", "// Graceful shutdown\n", "// No startup handshake (defaults)\n", "// Bounded automatic recovery\n", "// Memory limit\n", "// Node.js heap\n"},
			"5":        {"5. Operating procedure", "pm2 restart does not re-read it", "Other environments of the file"},
			"6":        {"6. Risks and rollback", "| Risk | Probability | Impact | Mitigation |", "### 6.2 Rollback strategy", "**Rollback conditions:**"},
			"7":        {"7. Differences between variants", "(F2)", "(removed)", "**Recommendation**", "loads by default"},
			"8":        {"8. Helper scripts", "`start-with-xvfb.sh` (F3)"},
			"9":        {"9. Validation checklist", "### 9.1 Before the deploy", "Confirm PM2 is installed", "Persist the process list", "restart loops"},
			"10":       {"10. Conclusions", "### 10.1 Final state", "**Approved with warnings.**", "### 10.2 Next steps", "**F2.**", "**F3.**"},
			"11":       {"11. References", "**PM2 documentation:**"},
			"footer":   {"_Generated by auditbot"},
		},
	}
	for _, lang := range languages {
		md := render(t, doc, Options{Lang: lang, Now: testNow, Version: "test", Comment: true, RepoURL: repoURL})
		for part, want := range words[lang] {
			want = append(append([]string(nil), want...), common[part]...)
			var text string
			switch part {
			case "first":
				text = firstScreen(md)
			case "findings":
				if i, j := strings.Index(md, "<details>"), strings.Index(md, "<details><summary>1. "); i >= 0 && j > i {
					text = md[i:j]
				}
			case "footer":
				text = md[strings.LastIndex(md, "\n---\n"):]
			default:
				text = section(md, "## "+part+".")
			}
			if text == "" {
				t.Errorf("%s: the comment has no %s part", lang, part)
				continue
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: part %s of the comment does not state %q", lang, part, w)
				}
			}
		}
		if strings.Contains(section(md, "## 4."), "wait_ready:") {
			t.Errorf("%s: the final configuration still contains wait_ready", lang)
		}
	}
}
