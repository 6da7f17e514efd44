// Package githubapi holds what auditbot needs to talk to the GitHub REST
// API: GitHub's documented limits, a retrying http.RoundTripper that honours
// rate limits, and the clients for GitHub App installations or a plain
// token.
package githubapi

// GitHub's limits, each with the documentation's own words.
const (
	// MaxCommentBody is the longest issue or pull request comment body
	// GitHub accepts. GitHub answers longer bodies with 422 Validation
	// Failed: "body is too long (maximum is 65536 characters)". The server
	// counts bytes, which is never fewer than characters, so a body within
	// MaxCommentBody bytes is within the limit however GitHub counts.
	MaxCommentBody = 65536

	// MaxAnnotationsPerRequest is the most check run annotations one
	// request may carry: "The Checks API limits the number of annotations
	// to a maximum of 50 per API request. To create more than 50
	// annotations, you have to make multiple requests to the Update a check
	// run endpoint. Each time you update the check run, annotations are
	// appended to the list of annotations that already exist for the check
	// run."
	MaxAnnotationsPerRequest = 50

	// MaxCheckRunOutputText is the longest check run output summary or
	// text: "Maximum length: 65535 characters."
	MaxCheckRunOutputText = 65535

	// MaxAnnotationMessage is the longest check run annotation message:
	// "A short description of the feedback for these lines of code. The
	// maximum size is 64 KB." Counted in bytes, and as 64,000 rather than
	// 65,536, so the body is within the limit however "KB" is meant.
	MaxAnnotationMessage = 64_000

	// MaxAnnotationTitle is the longest check run annotation title: "The
	// title that represents the annotation. The maximum size is 255
	// characters." A title within 255 bytes is within 255 characters.
	MaxAnnotationTitle = 255

	// MaxPullRequestFiles is the most files the "List pull requests files"
	// endpoint returns: "Responses include a maximum of 3000 files. The
	// paginated response returns 30 files per page by default."
	MaxPullRequestFiles = 3000

	// MaxPerPage is the largest page size list endpoints accept:
	// "The number of results per page (max 100)."
	MaxPerPage = 100

	// MaxWebhookPayload is the largest webhook delivery GitHub sends:
	// "Payloads are capped at 25 MB. If an event generates a larger
	// payload, GitHub will not deliver a payload for that webhook event."
	MaxWebhookPayload = 25 << 20
)
