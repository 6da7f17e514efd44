package webhook

import (
	"container/list"
	"sync"
	"time"
)

// job is the audit of one pull request at one head, asked by one delivery.
type job struct {
	delivery, event, action string
	owner, repo             string
	number                  int
	installation            int64
	// head and base are empty for an /auditbot command: the pull request
	// is then read to know them.
	head, base string
	received   time.Time
	prKey      string // "owner/repo#number", set by newJob
}

// key names the job's pull request.
func (j *job) key() string { return j.prKey }

type enqueueResult int

const (
	enqueued enqueueResult = iota
	duplicate
	full
	stopping
)

// enqueue admits a job: it is refused when its delivery was seen, when
// QueueSize jobs are in hand, or when the server is stopping.
func (s *Server) enqueue(j *job) enqueueResult {
	s.prs.mu.Lock()
	defer s.prs.mu.Unlock()
	if s.closing.Load() {
		return stopping
	}
	if !s.dedup.add(j.delivery) {
		return duplicate
	}
	if s.inHand.Load() >= int64(s.cfg.QueueSize) {
		// Forget the id: GitHub's redelivery of it must be taken.
		s.dedup.remove(j.delivery)
		return full
	}
	e := s.prs.entry(j.key())
	if j.head != "" {
		e.latest = j.head
		e.pending[j.head]++
	}
	s.metrics.queueDepth.Set(float64(s.inHand.Add(1)))
	s.jobs <- j // never blocks: the channel holds QueueSize jobs
	return enqueued
}

// closeQueue stops admissions; workers then drain what is in hand.
func (s *Server) closeQueue() {
	s.prs.mu.Lock()
	defer s.prs.mu.Unlock()
	s.closing.Store(true)
	s.stopOnce.Do(func() { close(s.jobs) })
}

func (s *Server) worker() {
	defer s.wg.Done()
	s.workers.Add(1)
	defer s.workers.Add(-1)
	for j := range s.jobs {
		s.dispatch(j)
	}
}

// dispatch runs j unless a job of the same pull request is running, in
// which case j waits behind it and the worker running that pull request
// runs it next: a pull request's jobs never run concurrently.
func (s *Server) dispatch(j *job) {
	key := j.key()
	s.prs.mu.Lock()
	e := s.prs.entry(key)
	if e.running {
		e.waiting = append(e.waiting, j)
		s.prs.mu.Unlock()
		return
	}
	e.running = true
	s.prs.mu.Unlock()
	for j != nil {
		s.runJob(j)
		s.prs.mu.Lock()
		s.finish(e, j)
		j = nil
		if len(e.waiting) > 0 {
			j, e.waiting = e.waiting[0], e.waiting[1:]
		} else {
			e.running = false
		}
		s.prs.mu.Unlock()
	}
}

// finish lets go of a job in hand; the caller holds s.prs.mu.
func (s *Server) finish(e *prEntry, j *job) {
	if j.head != "" {
		e.pending[j.head]--
		if e.pending[j.head] <= 0 {
			delete(e.pending, j.head)
		}
	}
	s.metrics.queueDepth.Set(float64(s.inHand.Add(-1)))
}

// skipInHand tells whether j can be dropped without any work: a newer
// head was delivered for the pull request and its job is still to run
// (superseded), or another job for the same head is still to run after j
// (coalesced: that one will do the very same work).
func (s *Server) skipInHand(j *job) string {
	s.prs.mu.Lock()
	defer s.prs.mu.Unlock()
	e := s.prs.entry(j.key())
	switch {
	case j.head == "":
		return ""
	case e.latest != j.head && e.pending[e.latest] > 0:
		return outcomeSuperseded
	case e.pending[j.head] > 1:
		return outcomeCoalesced
	}
	return ""
}

// pendingHead tells whether a job for head is still to run for j's pull
// request (other than j itself).
func (s *Server) pendingHead(j *job, head string) bool {
	s.prs.mu.Lock()
	defer s.prs.mu.Unlock()
	e := s.prs.entry(j.key())
	n := e.pending[head]
	if head == j.head {
		n--
	}
	return n > 0
}

// prTable tracks, per pull request, the latest head delivered, the heads
// whose jobs are in hand, and the jobs waiting for the running one. Idle
// entries beyond max are forgotten, oldest first.
type prTable struct {
	mu      sync.Mutex
	max     int
	order   *list.List
	entries map[string]*list.Element
}

type prEntry struct {
	key     string
	latest  string
	pending map[string]int
	running bool
	waiting []*job
}

func newPRTable(maxEntries int) *prTable {
	return &prTable{max: maxEntries, order: list.New(), entries: make(map[string]*list.Element)}
}

// entry returns the pull request's entry; the caller holds mu.
func (t *prTable) entry(key string) *prEntry {
	if el, ok := t.entries[key]; ok {
		t.order.MoveToFront(el)
		return el.Value.(*prEntry)
	}
	e := &prEntry{key: key, pending: make(map[string]int)}
	t.entries[key] = t.order.PushFront(e)
	for el := t.order.Back(); el != nil && len(t.entries) > t.max; {
		prev := el.Prev()
		old := el.Value.(*prEntry)
		if !old.running && len(old.pending) == 0 && len(old.waiting) == 0 {
			t.order.Remove(el)
			delete(t.entries, old.key)
		}
		el = prev
	}
	return e
}

// lru remembers the most recent delivery ids.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List
	ids   map[string]*list.Element
}

func newLRU(maxEntries int) *lru {
	return &lru{max: maxEntries, order: list.New(), ids: make(map[string]*list.Element)}
}

// add records id and tells whether it was new.
func (l *lru) add(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.ids[id]; ok {
		l.order.MoveToFront(el)
		return false
	}
	l.ids[id] = l.order.PushFront(id)
	if l.order.Len() > l.max {
		old := l.order.Back()
		l.order.Remove(old)
		delete(l.ids, old.Value.(string))
	}
	return true
}

func (l *lru) remove(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.ids[id]; ok {
		l.order.Remove(el)
		delete(l.ids, id)
	}
}
