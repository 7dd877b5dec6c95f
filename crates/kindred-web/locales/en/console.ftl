# The coordinators' console (coordinators only).

console-nav-label = Console
console-nav-queue = Open requests
console-nav-review = Matches to review
nav-console = Console
console-queue-title = Open requests
console-queue-intro = Everyone waiting for a mentor, the longest wait first. Open a request to see the mentee's profile and the mentors who fit best.
console-queue-empty = No one is waiting for a mentor.
console-asked = Asked on { $date }
console-waiting-days = { $days ->
    [one] waiting 1 day
   *[other] waiting { $days } days
}
console-required = Mentor must share: { $tags }
console-more = Show more
console-request-title = Request from { $name }
console-request-not-open = This request is no longer open: no suggestions are made for it.
console-request-heading = What they asked for
console-required-term = The mentor must share
console-excluded-term = Not a mentor from
console-note-term = Note
console-reason-term = Reason
console-none = None
console-profile-heading = Their profile
console-no-profile = No profile yet.
console-public-tags = Experiences (shown to a matched partner)
console-private-tags = Private experiences
console-private-means = (private: used for matching, never shown to their mentor or mentee)
console-languages = Languages
console-earlier-reports-term = Earlier account
console-earlier-reports = { $count ->
    [one] An earlier account with this email was reported once.
   *[other] An earlier account with this email was reported { $count } times.
}
console-suggestions-heading = Mentors who fit best
console-no-suggestions = No mentor who accepts new mentees fits this request now.
console-score = Score { $score }
console-explanation-caption = Why { $name } fits
console-explanation-total = How the score of { $total } is made
console-col-component = Part
console-col-points = Points
console-col-detail = Detail
console-private-component = private: coordinators only
console-private-component-means = A part marked private counts shared private experiences. Only coordinators see it; the mentor and mentee see the other parts and their sum.
console-propose = Propose { $name } as mentor
console-review-title = Matches
console-states-label = Matches by state
console-state-proposed = Proposed, to review
console-state-awaiting_mentor = Waiting for the mentor
console-state-active = Active
console-state-declined = Declined
console-state-rejected = Rejected
console-state-expired = Expired
console-state-ended = Ended
console-state-is = State: { $state }
console-pair = { $mentor } and { $mentee }
console-proposed-on = proposed on { $date }
console-matches-empty = No matches in this state.
console-request-link = The request
console-why-heading = Why this match
console-mentor-heading = Mentor: { $name }
console-mentee-heading = Mentee: { $name }
console-decide-heading = Your decision
console-approve-hint = Approving sends the match to the mentor, who accepts or declines it.
console-approve = Approve and ask the mentor
console-field-reject-reason = Reason for rejecting
console-reject-hint = Only coordinators read this. The request goes back to the queue and this pair is never proposed again.
console-reject = Reject
console-notice-proposed = The match is proposed. Review it below.
console-notice-approved = Approved: the mentor has been asked.
console-notice-rejected = Rejected: the request is back in the queue.
console-problem-changed = This match or request changed meanwhile; here is how it stands now.
console-nav-runs = Matching runs
console-runs-title = Matching runs
console-runs-intro = A run pairs every open request with the mentors who accept new mentees and have room. Preview it first: the dry run shows who would be matched and how fair the result is, and writes nothing.
console-run-mode-legend = How to pair
console-run-mode-optimal = The highest total score (optimal)
console-run-mode-stable = No mentee and mentor who would both rather have each other (stable)
console-run-dry = Preview (dry run)
console-run-dry-title = Dry run: the report
console-run-title = Matching run: the report
console-run-summary = Mode { $mode }, { $date }, { $ms } ms.
console-run-dry-means = Nothing was written: no match was proposed and no one was told.
console-run-requests = Open requests
console-run-matched = Matched
console-run-unmatched = Not matched
console-run-no-feasible = { $count ->
    [one] 1 with no mentor who fits at all
   *[other] { $count } with no mentor who fits at all
}
console-run-mentors = Mentors with room
console-run-mentors-detail = { $count } in all: { $idle } with no new mentee, { $full } now at capacity
console-run-categories-title = Matched and not matched, by kind of experience
console-run-category = Kind of experience
console-run-load-title = New mentees per mentor
console-run-new-mentees = New mentees
console-run-mentor-count = Mentors
console-run-scores-title = Scores of the matched pairs
console-run-score-range = Score
console-run-pair-count = Pairs
console-run-no-scores = No pair was matched.
console-run-totals-title = Total score by method
console-run-method = Method
console-run-total-score = Total score
console-run-optimal = Optimal
console-run-stable = Stable
console-run-greedy = Greedy (best pair first)
console-run-real-heading = Run for real
console-run-real-hint = The run is computed again on the requests and mentors as they are now, and every pair becomes a proposal for you to review.
console-run-real = Run for real
console-run-proposals-heading = Its proposals
console-run-pending = { $count ->
    [one] 1 proposal of this run waits for review.
   *[other] { $count } proposals of this run wait for review.
}
console-run-review-link = Review them one by one
console-run-approve-all-link = { $count ->
    [one] Approve it
   *[other] Approve all { $count }
}
console-run-none-pending = No proposal of this run waits for review.
console-approve-all-title = Approve the run's proposals
console-approve-all-body = { $count ->
    [one] 1 proposal will go to its mentor, who is emailed and accepts or declines it.
   *[other] { $count } proposals will go to their mentors, who are emailed and accept or decline them.
} A proposal that can no longer be approved (the mentor's room was taken meanwhile) stays for review.
console-approve-all-confirm = { $count ->
    [one] Yes, approve 1 proposal
   *[other] Yes, approve { $count } proposals
}
console-approve-all-cancel = No, back to the report
console-notice-approved-all = The run's proposals were approved. Any that could not be approved are still waiting for review.
console-nav-health = Programme health
console-health-title = Programme health
console-health-intro = How the programme is doing, week by week. To protect small groups, no figure about fewer than 5 people is shown.
console-health-from = From
console-health-to = To
console-health-date-hint = Dates as YYYY-MM-DD. The range is widened to whole weeks (Monday to Sunday), at most 104 weeks.
console-health-show = Show
console-health-range = Weeks from { $from } to { $to }.
console-health-requests = Requests made per week
console-health-started = Matches started per week
console-health-ended = Matches ended per week
console-health-median = Median hours from request to match
console-health-acceptance = Matches accepted by mentors, per cent of answers
console-health-reasons = Why matches ended early (within 90 days)
console-health-unmatched = Waiting with no match now, by kind of experience
console-health-no-unmatched = No one is waiting without a match.
console-health-week = Week from
console-health-count = People
console-health-hours = Hours
console-health-rate = Accepted
console-health-reason = Reason
console-health-other-reasons = Other reasons (each fewer than 5)
console-health-fewer = fewer than 5
console-health-not-shown = not shown (fewer than 5 people)
console-health-small-cells = A figure about 1 to 4 people shows as “fewer than 5”; a median or a rate over fewer than 5 people is not shown.
console-nav-safety = Safety inbox
console-safety-title = Safety inbox
console-safety-intro = Reports and check-ins that asked for support, the newest first. Act on each (open the match to end it), then mark it handled.
console-safety-states-label = Inbox items by state
console-safety-state-open = To handle
console-safety-state-handled = Handled
console-safety-state-all = All
console-safety-reported = { $reporter } reported { $about }
console-safety-needs-support = { $name } asked for support in a check-in
console-safety-erased = A deleted account
console-safety-match = { $mentor } and { $mentee } ({ $state })
console-safety-open-match = Open the match: { $words }
console-safety-can-end = It can be ended there.
console-safety-rating = rating { $rating } of 5
console-safety-handled-by = Handled by { $name } on { $date }.
console-safety-mark-handled = Mark handled
console-safety-reopen = Open again
console-safety-empty = Nothing here.
console-notice-handled = Marked handled.
console-notice-reopened = Open again.
console-notice-ended = The match has ended; both people were told.
console-end-heading = End this match
console-field-end-reason = Reason for ending
console-end-hint = Both people and the coordinators read this.
console-end = End the match
console-filter-category = Kind of experience
console-filter-any = Any
console-filter-language = Speaks
console-filter-language-hint = A language code, e.g. es or pt-BR.
console-filter-waiting = Waiting longer than (days)
console-filter-apply = Filter
console-filter-clear = Show everyone
console-queue-none-match = No open request matches these filters.
console-nav-admin = Administration
console-admin-title = Administration
console-tags-heading = Experiences offered (tags)
console-tags-intro = The experiences people can choose on their profiles. A retired tag stays on the profiles that have it but is no longer offered.
console-tag-is-sensitive = sensitive
console-tag-is-retired = retired
console-tag-edit = Edit “{ $label }”
console-tag-add-heading = Add a tag
console-tag-slug = Short name (slug)
console-tag-slug-hint = Lower-case letters, digits and hyphens, e.g. night-shift-workers. It cannot be changed later.
console-tag-slug-taken = This short name is already used.
console-tag-label = Label
console-tag-category = Kind of experience
console-tag-sensitive = Sensitive (health, sexuality, abuse…): people must consent before it is stored
console-tag-add = Add the tag
console-tag-edit-title = Tag { $slug }
console-tag-retired = Retired: no longer offered
console-tag-retired-hint = Profiles that have it keep it; untick to offer it again.
console-tag-save = Save the tag
console-tag-back = Back to administration
console-dead-jobs-heading = Jobs that failed for good
console-no-dead-jobs = No job failed for good.
console-dead-emails-heading = Emails that could not be delivered
console-no-dead-emails = Every email was delivered or is still being tried.
console-last-error = Last error: { $error }
console-retry-job = Try the { $kind } job again
console-retry-email = Send the email to { $to } again
console-notice-tag-added = The tag was added.
console-notice-tag-saved = The tag was saved.
console-notice-retried = It will be tried again.
