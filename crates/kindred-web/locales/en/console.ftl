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
