package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/report"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

// checkRunName is the check run's name on every audited head.
const checkRunName = "auditbot"

// Job outcomes, as logged and counted.
const (
	outcomeDone       = "commented"
	outcomeNoImpact   = "no_impact"
	outcomeCleared    = "cleared"
	outcomeSuperseded = "superseded"
	outcomeClosed     = "closed"
	outcomeFailed     = "failed"
	outcomeCoalesced  = "coalesced"
)

// createAttempts bounds the tries of a POST that GitHub may have processed
// before failing (comment, check run): between tries the server looks for
// what the failed try may have created.
const createAttempts = 3

// finishCheckTimeout bounds the completion of a check run left in
// progress by a failed, superseded or cancelled job.
const finishCheckTimeout = 10 * time.Second

// auditWorker runs the audit jobs River hands out.
type auditWorker struct {
	river.WorkerDefaults[auditArgs]
	s *Server
}

// Work implements river.Worker. A pull request's jobs run one at a time
// (its slot in the database); a job whose pull request got a later
// delivery still to run is dropped without work. A transient failure is
// returned for River to retry with backoff; a permanent one cancels the
// job; the last attempt's failure, or a cancel, completes the check run.
// A job cut off by shutdown goes back to the queue as it was.
func (w *auditWorker) Work(ctx context.Context, rj *river.Job[auditArgs]) error {
	s := w.s
	j := rj.Args.job()
	start := time.Now()
	r := &run{s: s, j: j, id: rj.ID, resumed: rj.Attempt > 1 || len(rj.Metadata) > 2}
	logAttrs := func(outcome string) []any {
		return []any{"delivery", j.delivery, "event", j.event, "repository", j.owner + "/" + j.repo,
			"pr", j.number, "head", r.head, "outcome", outcome, "duration", time.Since(start),
			"waited", start.Sub(j.received), "attempt", rj.Attempt, "job", rj.ID}
	}
	if skip, err := s.laterJob(ctx, j, rj.ID, j.head); err != nil {
		return s.retryOrGiveUp(ctx, r, rj.JobRow, err, logAttrs)
	} else if skip != "" {
		r.head = j.head
		s.metrics.jobs.WithLabelValues(skip).Inc()
		s.log.Info("audit job", logAttrs(skip)...)
		return nil
	}
	ok, err := s.store.lockPR(ctx, j.key(), rj.ID)
	if err != nil {
		return s.retryOrGiveUp(ctx, r, rj.JobRow, err, logAttrs)
	}
	if !ok {
		// Another job of this pull request is running: wait for it
		// without using an attempt.
		return river.JobSnooze(snoozeJitter())
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishCheckTimeout)
		defer cancel()
		if err := s.store.unlockPR(uctx, j.key(), rj.ID); err != nil {
			s.log.Warn("freeing the pull request's slot", "delivery", j.delivery, "err", err.Error())
		}
	}()
	outcome, err := r.process(ctx)
	if err != nil {
		return s.retryOrGiveUp(ctx, r, rj.JobRow, err, logAttrs)
	}
	r.finishCheck(outcome, nil, 0)
	s.metrics.jobs.WithLabelValues(outcome).Inc()
	s.log.Info("audit job", logAttrs(outcome)...)
	return nil
}

// Timeout implements river.Worker: Config.JobTimeout.
func (w *auditWorker) Timeout(*river.Job[auditArgs]) time.Duration { return w.s.cfg.JobTimeout }

// retryOrGiveUp decides what a failed attempt becomes.
func (s *Server) retryOrGiveUp(ctx context.Context, r *run, row *rivertype.JobRow, err error, attrs func(string) []any) error {
	j := r.j
	switch {
	case s.closing.Load() && ctx.Err() != nil:
		// Cut off by shutdown: back to the queue as it was (no attempt
		// used); the check run stays in progress for the next run.
		s.log.Warn("audit job cut off by shutdown; back in the queue", attrs("requeued")...)
		return river.JobSnooze(0)
	case isPermanent(err):
		r.finishCheck(outcomeFailed, err, 0)
		s.gaveUp(j)
		s.log.Error("audit job", append(attrs(outcomeFailed), "err", err.Error(), "retry", false)...)
		return river.JobCancel(err)
	case row.Attempt >= row.MaxAttempts:
		r.finishCheck(outcomeFailed, err, row.Attempt)
		s.gaveUp(j)
		s.log.Error("audit job", append(attrs(outcomeFailed), "err", err.Error(), "retry", false)...)
		return err
	}
	s.metrics.retries.Inc()
	s.log.Warn("audit job failed; it will be retried", append(attrs("retry"), "err", err.Error(),
		"attempts_left", row.MaxAttempts-row.Attempt)...)
	return err
}

// gaveUp counts a job that failed for good and forgets its delivery id:
// GitHub's "Redeliver" sends the same id, and must be taken.
func (s *Server) gaveUp(j *job) {
	s.metrics.jobs.WithLabelValues(outcomeFailed).Inc()
	ctx, cancel := context.WithTimeout(context.Background(), finishCheckTimeout)
	defer cancel()
	if err := s.store.forgetDelivery(ctx, j.delivery); err != nil {
		s.log.Warn("forgetting a failed delivery", "delivery", j.delivery, "err", err.Error())
	}
}

// laterJob tells whether j can be dropped without work because a job
// delivered after it for the same pull request is still to run, or ran:
// that one reads the pull request as GitHub has it then, so it does at
// least j's work. It says "coalesced" when that job is for head, else
// "superseded".
func (s *Server) laterJob(ctx context.Context, j *job, id int64, head string) (string, error) {
	l, err := s.store.latestJob(ctx, j.key())
	if err != nil {
		return "", err
	}
	if l.job <= id || l.failed() {
		return "", nil
	}
	if head != "" && l.head == head {
		return outcomeCoalesced, nil
	}
	return outcomeSuperseded, nil
}

// permanentError is a failure that no retry would mend.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// isPermanent tells a failure that no retry would mend: GitHub refusing
// the request (4xx other than rate limits), the repository or the
// credentials refused by git, an audit error. Network errors, 5xx, rate
// limits and timeouts are transient.
func isPermanent(err error) bool {
	var pe permanentError
	if errors.As(err, &pe) {
		return true
	}
	var rl *github.RateLimitError
	var arl *github.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &arl) {
		return false
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		code := er.Response.StatusCode
		return code >= 400 && code < 500 && code != http.StatusTooManyRequests && code != http.StatusRequestTimeout
	}
	return errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) ||
		errors.Is(err, transport.ErrRepositoryNotFound)
}

// run is one job's state while it runs.
type run struct {
	s          *Server
	j          *job
	id         int64 // the River job
	resumed    bool  // an earlier attempt may have started a check run
	gh         *github.Client
	head, base string
	checkID    int64
	checkDone  bool
}

func (r *run) process(ctx context.Context) (string, error) {
	s, j := r.s, r.j
	r.head, r.base = j.head, j.base
	inst, err := s.deps.Clients.Installation(ctx, j.installation)
	if err != nil {
		return "", fmt.Errorf("GitHub client: %w", err)
	}
	r.gh = inst.Client

	// The pull request as GitHub has it now: the payload may be stale.
	pr, _, err := r.gh.PullRequests.Get(ctx, j.owner, j.repo, j.number)
	if err != nil {
		return "", fmt.Errorf("reading the pull request: %w", err)
	}
	if pr.GetState() != "open" {
		return outcomeClosed, nil
	}
	curHead, curBase := pr.GetHead().GetSHA(), pr.GetBase().GetSHA()
	if !isSHA(curHead) || !isSHA(curBase) {
		return "", errors.New("the pull request has no head or base SHA")
	}
	if r.head != curHead {
		if r.head != "" {
			// The newer head's delivery is in the queue: its job will
			// audit it.
			if later, err := s.laterJob(ctx, j, r.id, curHead); err != nil {
				return "", err
			} else if later == outcomeCoalesced {
				return outcomeSuperseded, nil
			}
		}
		// An /auditbot command, or a push whose delivery is not in hand:
		// audit what the pull request is now.
		r.head = curHead
	}
	// The base as GitHub has it now (a base change may follow the
	// delivery).
	r.base = curBase

	if err := r.startCheck(ctx); err != nil {
		return "", err
	}
	// Audit what the pull request changes, as "Files changed" shows it:
	// from the merge base, not from the base branch's tip.
	if err := r.useMergeBase(ctx); err != nil {
		return "", err
	}
	files, err := r.countFiles(ctx)
	if err != nil {
		return "", err
	}
	token, err := inst.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("installation token: %w", err)
	}
	cloneURL, err := s.deps.CloneURL(j.owner, j.repo)
	if err != nil {
		return "", err
	}
	auditStart := time.Now()
	repo, release, err := s.deps.Fetcher.Fetch(ctx, cloneURL, token, r.base, r.head)
	if err != nil {
		return "", fmt.Errorf("fetching %s/%s at %s and %s: %w", j.owner, j.repo, short(r.base), short(r.head), err)
	}
	doc, err := s.deps.Auditor.Audit(ctx, repo, r.base, r.head)
	release()
	if err != nil {
		err = fmt.Errorf("auditing %s..%s: %w", short(r.base), short(r.head), err)
		if ctx.Err() == nil {
			err = permanentError{err}
		}
		return "", err
	}
	s.metrics.auditDur.Observe(time.Since(auditStart).Seconds())
	if doc == nil {
		return "", errors.New("the auditor returned no document")
	}
	s.log.Debug("audited", "delivery", j.delivery, "files", files, "impact", doc.Impact, "findings", len(doc.Findings))

	existing, err := r.findComments(ctx)
	if err != nil {
		return "", err
	}
	// Last look before writing: a push during the audit makes it stale.
	pr, _, err = r.gh.PullRequests.Get(ctx, j.owner, j.repo, j.number)
	if err != nil {
		return "", fmt.Errorf("reading the pull request again: %w", err)
	}
	if pr.GetHead().GetSHA() != r.head {
		return outcomeSuperseded, nil
	}
	// And in the queue: a later delivery for another head is to run.
	if later, err := s.laterJob(ctx, j, r.id, r.head); err != nil {
		return "", err
	} else if later == outcomeSuperseded {
		return outcomeSuperseded, nil
	}

	if !doc.Impact {
		nb, err := noImpactBody(s.cfg.Lang, r.head)
		if err != nil {
			return "", err
		}
		edited, err := r.editFirst(ctx, existing, nb)
		if err != nil {
			return "", err
		}
		if !edited {
			return outcomeNoImpact, nil
		}
		return outcomeCleared, nil
	}
	body, err := s.commentBody(doc, r.base, r.head, pr.GetBase().GetRepo().GetHTMLURL())
	if err != nil {
		return "", err
	}
	edited, err := r.editFirst(ctx, existing, body)
	if err != nil {
		return "", err
	}
	if !edited {
		if err := r.createComment(ctx, body); err != nil {
			return "", err
		}
	}
	if err := r.completeCheck(ctx, doc); err != nil {
		return "", err
	}
	return outcomeDone, nil
}

// useMergeBase replaces r.base, the tip of the base branch, with the
// merge base of base and head that GitHub's compare API gives
// (merge_base_commit). Auditing base..head from the tip would show the
// commits the base branch got after the pull request branched off,
// reversed, as if the pull request made them. When the comparison cannot
// be had, the audit falls back to the tip with a logged warning; only the
// job's own end (timeout, shutdown) is an error.
func (r *run) useMergeBase(ctx context.Context) error {
	// One commit per page: only merge_base_commit is read.
	cmp, _, err := r.gh.Repositories.CompareCommits(ctx, r.j.owner, r.j.repo, r.base, r.head, &github.ListOptions{PerPage: 1})
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("comparing %s...%s: %w", short(r.base), short(r.head), err)
		}
		r.s.log.Warn("no merge base from the compare API; auditing from the base branch's tip",
			"delivery", r.j.delivery, "base", r.base, "head", r.head, "err", err.Error())
		return nil
	}
	mb := cmp.GetMergeBaseCommit().GetSHA()
	if !isSHA(mb) {
		r.s.log.Warn("the compare API gave no merge base; auditing from the base branch's tip",
			"delivery", r.j.delivery, "base", r.base, "head", r.head)
		return nil
	}
	if mb != r.base {
		r.s.log.Debug("auditing from the merge base", "delivery", r.j.delivery, "base", r.base, "merge_base", mb)
	}
	r.base = mb
	return nil
}

// countFiles lists the pull request's files, as GitHub lists them (at
// most MaxPullRequestFiles). The audit itself reads the git diff, which
// has no such cap.
func (r *run) countFiles(ctx context.Context) (int, error) {
	opts := &github.ListOptions{PerPage: githubapi.MaxPerPage}
	n := 0
	for n < githubapi.MaxPullRequestFiles {
		files, resp, err := r.gh.PullRequests.ListFiles(ctx, r.j.owner, r.j.repo, r.j.number, opts)
		if err != nil {
			return 0, fmt.Errorf("listing the pull request's files: %w", err)
		}
		n += len(files)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return n, nil
}

// findComments lists the comments that carry the report marker, oldest
// first.
func (r *run) findComments(ctx context.Context) ([]*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: githubapi.MaxPerPage}}
	var found []*github.IssueComment
	for {
		comments, resp, err := r.gh.Issues.ListComments(ctx, r.j.owner, r.j.repo, r.j.number, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the pull request's comments: %w", err)
		}
		for _, c := range comments {
			if strings.HasPrefix(c.GetBody(), commentMarker) {
				found = append(found, c)
			}
		}
		if resp.NextPage == 0 {
			return found, nil
		}
		opts.Page = resp.NextPage
	}
}

// editFirst puts body in the first marker comment the server may edit
// (leaving it alone when it already says that). A comment someone else
// wrote with the marker cannot be edited (403 or 404) and is passed over.
// It tells whether a comment now carries body.
func (r *run) editFirst(ctx context.Context, comments []*github.IssueComment, body string) (bool, error) {
	for _, c := range comments {
		if c.GetBody() == body {
			return true, nil
		}
		err := r.updateComment(ctx, c.GetID(), body)
		if err == nil {
			return true, nil
		}
		var er *github.ErrorResponse
		if errors.As(err, &er) && er.Response != nil &&
			(er.Response.StatusCode == http.StatusForbidden || er.Response.StatusCode == http.StatusNotFound) {
			r.s.log.Warn("a comment with the report marker cannot be edited; passing it over",
				"delivery", r.j.delivery, "comment", c.GetID(), "author", c.GetUser().GetLogin())
			continue
		}
		return false, err
	}
	return false, nil
}

func (r *run) updateComment(ctx context.Context, id int64, body string) error {
	_, _, err := r.gh.Issues.EditComment(ctx, r.j.owner, r.j.repo, id, &github.IssueComment{Body: github.String(body)})
	if err != nil {
		return fmt.Errorf("editing the report comment: %w", err)
	}
	r.s.metrics.comments.WithLabelValues("updated").Inc()
	return nil
}

// createComment posts the report. A POST that failed with a 5xx or on the
// network may still have created the comment, so before trying again the
// comments are listed again and a comment carrying the marker is edited
// instead: never two report comments.
func (r *run) createComment(ctx context.Context, body string) error {
	var err error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		if attempt > 1 {
			existing, ferr := r.findComments(ctx)
			if ferr != nil {
				return ferr
			}
			if edited, err := r.editFirst(ctx, existing, body); edited || err != nil {
				return err
			}
		}
		_, _, err = r.gh.Issues.CreateComment(ctx, r.j.owner, r.j.repo, r.j.number, &github.IssueComment{Body: github.String(body)})
		if err == nil {
			r.s.metrics.comments.WithLabelValues("created").Inc()
			return nil
		}
		if !mayHaveBeenProcessed(ctx, err) {
			break
		}
		r.s.log.Warn("creating the report comment failed; looking for it before trying again",
			"delivery", r.j.delivery, "attempt", attempt, "err", err.Error())
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
	return fmt.Errorf("creating the report comment: %w", err)
}

// mayHaveBeenProcessed tells an error after which GitHub may have acted:
// a 5xx or a transport error, not a 4xx.
func mayHaveBeenProcessed(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode >= 500
	}
	var rl *github.RateLimitError
	var arl *github.AbuseRateLimitError
	return !errors.As(err, &rl) && !errors.As(err, &arl)
}

func pause(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(attempt) * 100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// startCheck creates the check run in_progress on the head, or takes the
// one a failed try created.
func (r *run) startCheck(ctx context.Context) error {
	opts := github.CreateCheckRunOptions{
		Name:      checkRunName,
		HeadSHA:   r.head,
		Status:    github.String("in_progress"),
		StartedAt: &github.Timestamp{Time: time.Now()},
		Output: &github.CheckRunOutput{
			Title:   github.String(checkTitleRunning(r.s.cfg.Lang)),
			Summary: github.String(checkTitleRunning(r.s.cfg.Lang)),
		},
	}
	var err error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		// A job retried, or resumed after a stop, takes the check run
		// its earlier attempt left in progress.
		if attempt > 1 || r.resumed {
			res, _, lerr := r.gh.Checks.ListCheckRunsForRef(ctx, r.j.owner, r.j.repo, r.head, &github.ListCheckRunsOptions{
				CheckName: github.String(checkRunName), Status: github.String("in_progress"),
			})
			if lerr != nil {
				return fmt.Errorf("looking for the check run: %w", lerr)
			}
			if res != nil && len(res.CheckRuns) > 0 {
				r.checkID = res.CheckRuns[0].GetID()
				return nil
			}
		}
		var cr *github.CheckRun
		cr, _, err = r.gh.Checks.CreateCheckRun(ctx, r.j.owner, r.j.repo, opts)
		if err == nil {
			r.checkID = cr.GetID()
			return nil
		}
		if !mayHaveBeenProcessed(ctx, err) {
			break
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
	return fmt.Errorf("creating the check run: %w", err)
}

// completeCheck sends the annotations, at most MaxAnnotationsPerRequest per
// request, then completes the check run with the verdict's conclusion.
func (r *run) completeCheck(ctx context.Context, doc *audit.Document) error {
	if r.checkID == 0 {
		return nil
	}
	lang := r.s.cfg.Lang
	title, summary, err := report.CheckRunOutput(doc, lang)
	if err != nil {
		return fmt.Errorf("check run output: %w", err)
	}
	anns, err := annotations(doc, lang)
	if err != nil {
		return err
	}
	output := func(batch []*github.CheckRunAnnotation) *github.CheckRunOutput {
		return &github.CheckRunOutput{Title: github.String(title), Summary: github.String(summary), Annotations: batch}
	}
	for len(anns) > githubapi.MaxAnnotationsPerRequest {
		batch := anns[:githubapi.MaxAnnotationsPerRequest]
		anns = anns[githubapi.MaxAnnotationsPerRequest:]
		// Annotations are appended: a retried PATCH could add them twice.
		_, _, err := r.gh.Checks.UpdateCheckRun(githubapi.WithoutRetryOnFailure(ctx), r.j.owner, r.j.repo, r.checkID,
			github.UpdateCheckRunOptions{Name: checkRunName, Output: output(batch)})
		if err != nil {
			return fmt.Errorf("sending check run annotations: %w", err)
		}
		r.s.metrics.annotations.Add(float64(len(batch)))
	}
	final := ctx
	if len(anns) > 0 {
		final = githubapi.WithoutRetryOnFailure(ctx)
	}
	_, _, err = r.gh.Checks.UpdateCheckRun(final, r.j.owner, r.j.repo, r.checkID, github.UpdateCheckRunOptions{
		Name:        checkRunName,
		Status:      github.String("completed"),
		Conclusion:  github.String(conclusion(doc.Summary.Verdict)),
		CompletedAt: &github.Timestamp{Time: time.Now()},
		Output:      output(anns),
	})
	if err != nil {
		return fmt.Errorf("completing the check run: %w", err)
	}
	r.s.metrics.annotations.Add(float64(len(anns)))
	r.checkDone = true
	return nil
}

// finishCheck completes a check run the job started but did not complete:
// no check run is left in progress.
// attempts, when not 0, is how many attempts failed before the job gave
// up.
func (r *run) finishCheck(outcome string, jobErr error, attempts int) {
	if r.checkID == 0 || r.checkDone {
		return
	}
	concl, title := "success", checkTitleNoImpact(r.s.cfg.Lang)
	switch {
	case jobErr != nil && attempts > 0:
		concl, title = "neutral", checkTitleGaveUp(r.s.cfg.Lang, attempts)
	case jobErr != nil:
		concl, title = "neutral", checkTitleFailed(r.s.cfg.Lang)
	case outcome == outcomeSuperseded:
		concl, title = "cancelled", checkTitleSuperseded(r.s.cfg.Lang)
	}
	// The job's context may be over (timeout, shutdown): a short one of
	// its own.
	ctx, cancel := context.WithTimeout(context.Background(), min(r.s.cfg.GitHubTimeout, finishCheckTimeout))
	defer cancel()
	_, _, err := r.gh.Checks.UpdateCheckRun(ctx, r.j.owner, r.j.repo, r.checkID, github.UpdateCheckRunOptions{
		Name:        checkRunName,
		Status:      github.String("completed"),
		Conclusion:  github.String(concl),
		CompletedAt: &github.Timestamp{Time: time.Now()},
		Output:      &github.CheckRunOutput{Title: github.String(title), Summary: github.String(title)},
	})
	if err != nil {
		r.s.log.Warn("completing the check run", "delivery", r.j.delivery, "err", err.Error())
	}
}

// conclusion maps the verdict: fail → failure; incomplete →
// action_required (part of the configuration was not audited: a person
// must look at it, and branch protection counts neutral as passing);
// warn → neutral; pass and none → success.
func conclusion(verdict string) string {
	switch verdict {
	case "fail":
		return "failure"
	case "incomplete":
		return "action_required"
	case "warn":
		return "neutral"
	default:
		return "success"
	}
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
