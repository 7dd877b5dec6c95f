# Matches, check-ins, block and report pages, and the home summary (en).
# Every id here exists in es/matches.ftl too.

## A match's status and what happens next
matches-state-label = Status:
matches-state-awaiting = Waiting for the mentor's answer
matches-state-active = Active
matches-state-declined = Declined by the mentor
matches-state-expired = Expired: the mentor did not answer in time
matches-state-ended = Ended
matches-state-proposed = Being reviewed by a coordinator
matches-state-rejected = Not approved by a coordinator
matches-state-unknown = Unknown
matches-next-awaiting-mentee = We have asked { $partner } to be your mentor. They have until { $date } to answer ({ $days ->
    [one] one day left
   *[other] { $days } days left
}). As soon as they accept, we will email you both an introduction with each other's contact details. If they cannot take it, your request goes back to the coordinators, who will look for someone else.
matches-next-awaiting-mentor = { $partner } has been matched with you and is waiting for your answer. Please accept or decline by { $date } ({ $days ->
    [one] one day left
   *[other] { $days } days left
}). If you do not answer in time, the match expires and the coordinators look for someone else for { $partner }.
matches-next-active-mentee = You and { $partner } are working together. { $partner }'s email address is shown below. Check in now and then to tell the coordinators how it is going. Either of you can end the match at any time.
matches-next-active-mentor = You are mentoring { $partner }. { $partner }'s email address is shown below. Check in now and then to tell the coordinators how it is going. Either of you can end the match at any time.
matches-next-declined-mentee = { $partner } could not take this match. Your request is open again, and the coordinators will look for another mentor for you.
matches-next-declined-mentor = You declined this match. { $partner }'s request went back to the coordinators. Nothing else is needed from you.
matches-next-expired-mentee = { $partner } did not answer in time. Your request is open again, and the coordinators will look for another mentor for you.
matches-next-expired-mentor = You did not answer in time, so this match expired. { $partner }'s request went back to the coordinators.
matches-next-ended-mentee = This match has ended. If you would like another mentor, you can ask again.
matches-next-ended-mentor = This match has ended. Thank you for the support you gave.
matches-next-proposed = A coordinator is reviewing this match.
matches-next-rejected = A coordinator did not approve this match.
matches-next-unknown = Nothing is needed from you right now.
matches-reason-label = Reason given:
matches-reason-safety = Closed for safety reasons: you blocked this person.
matches-reason-closed = The match was closed.
matches-reason-account-deleted = The other person deleted their account.

## Why a match was suggested (its public reasons only)
matches-why-heading = Why this match was suggested
matches-why-base = You both meet the basic needs: a shared language and way of meeting, the region, and times you can both meet.
matches-why-shared = Experiences you both list:
matches-why-availability = Your weekly free times overlap.
matches-why-timezone = Your time zones are close.

## Your matches
matches-list-title = Your matches
matches-list-intro = The people you have been matched with, as a mentee and as a mentor. Contact details appear only once a match is active.
matches-current-heading = Current
matches-earlier-heading = Earlier
matches-none-current = You have no current match.
matches-ask-link = Ask for a mentor
matches-more = Show more matches
matches-with = Match with { $partner }
matches-you-are-mentor = You are the mentor.
matches-you-are-mentee = You are the mentee.
matches-since = Suggested on { $date }.

## One match
matches-back-to-list = Back to your matches
matches-back-to-match = Back to your match with { $partner }
matches-detail-title = Your match with { $partner }
matches-answer-heading = Your answer
matches-answer-intro = Read about { $partner } below, then accept or decline the match.
matches-accept-submit = Accept this match
matches-field-decline-reason = Why are you declining?
matches-field-decline-reason-hint = Only the coordinators read this. { $partner } is told only that you could not take the match.
matches-decline-submit = Decline this match
matches-together-heading = Working together
matches-check-in-link = Check in: tell the coordinators how it is going
matches-end-link = End this match
matches-partner-heading = About { $partner }
matches-card-name = Name
matches-card-pronouns = Pronouns
matches-card-contact = Email address
matches-card-contact-hidden = Shown once the match is active.
matches-card-bio = About them
matches-card-tags = Experiences they list
matches-card-languages = Languages
matches-card-timezone = Time zone
matches-safety-heading = Feeling uneasy?
matches-safety-intro = You can block or report anyone you are matched with, at any time.
matches-block-link = Block { $partner }
matches-report-link = Report { $partner }
matches-cancel = Cancel
matches-problem-heading = That could not be done
matches-problem-changed = This match changed in the meantime, so nothing was done. Its status now is shown below.
matches-problem-not-allowed = You cannot do this with this match, so nothing was changed.

## Ending a match
matches-end-title = End your match with { $partner }
matches-end-intro = Ending the match closes it for both of you, and it cannot be reopened. { $partner } and the coordinators will see that it ended and the reason you give.
matches-field-end-reason = Why are you ending the match?
matches-field-end-reason-hint = { $partner } and the coordinators can read this. A sentence or two is enough.
matches-end-submit = End the match
matches-end-not-active = Only an active match can be ended.

## Notices after an action
matches-notice-accepted = You accepted the match. You can now see each other's email address, and we have emailed you both an introduction.
matches-notice-declined = You declined the match. Thank you for answering.
matches-notice-ended = The match has ended.
matches-notice-blocked = You have blocked this person. You will not be matched with them again.

## Errors in these forms
matches-err-reason-required = Give a reason.
matches-err-rating = Choose how it is going, from 1 to 5.
matches-err-report-reason = Describe what happened, in at most 5000 characters.

## Check-ins
checkin-title = Check in on your match with { $partner }
checkin-intro = Tell us how your match is going. Only you and the coordinators see your answers; { $partner } does not.
matches-field-rating = How is it going?
checkin-rating-1 = 1 – Very difficult
checkin-rating-2 = 2 – Difficult
checkin-rating-3 = 3 – Okay
checkin-rating-4 = 4 – Good
checkin-rating-5 = 5 – Very good
matches-field-checkin-note = Anything you would like to add?
matches-field-checkin-note-hint = Only you and the coordinators can read this.
matches-field-needs-support = I need support
matches-field-needs-support-hint = A coordinator is alerted at once and will get in touch with you. The support resources are shown as soon as you send this.
checkin-submit = Send the check-in
checkin-not-active = Check-ins are for active matches.
checkin-sent-title = Thank you for checking in
checkin-sent-body = Your check-in is saved. Only you and the coordinators can see it.
checkin-support-title = You asked for support
checkin-support-told = We have alerted the coordinators, and one of them will get in touch with you. If you need help before then, the services below can help now.
checkin-back = Back to your match
checkin-report-link = Report a problem with this match

## Blocking
block-title = Block { $partner }
block-what-heading = What blocking does
block-effect-never = You and { $partner } will never be matched again, in either direction, and you will not be placed in the same peer-support circle.
block-effect-closes = If this match is still waiting for an answer or is active, it closes now, and contact details are hidden again.
block-effect-not-told = { $partner } is not told that you blocked them; they see only that the match was closed.
block-effect-final = A block cannot be undone in the app.
block-report-too = If they did something that worried you, you can also tell the coordinators:
matches-block-submit = Block { $partner }
block-submit-label = Blocking

## Reporting
report-title = Report { $partner }
report-intro = Tell the coordinators what happened. They read every report and decide what to do.
report-danger = If you are in danger now, do not wait for a reply: call your local emergency number.
matches-field-report-reason = What happened?
matches-field-report-reason-hint = Only the coordinators read this; { $partner } is not told that you reported them. Say what happened and when, as far as you feel able.
report-submit = Send the report
report-sent-title = Thank you for telling us
report-next-heading = What happens next
report-next-alerted = The coordinators have been alerted and will read your report.
report-next-not-told = The person you reported is not told that you reported them.
report-next-contact = A coordinator may email you to ask for more details or to tell you what was done.
report-block-offer = If you do not want any more contact with them, you can also block them.
report-block-link = Block this person
report-support-heading = Support for you

## Home: what is happening now
matches-home-now-heading = Right now
matches-home-to-answer = { $partner } is waiting for your answer, until { $date } ({ $days ->
    [one] one day left
   *[other] { $days } days left
}).
matches-home-answer-link = Answer { $partner }
matches-home-active-mentor = You are mentoring { $partner }.
matches-home-active-mentee = { $partner } is your mentor.
matches-home-check-in-link = Check in on your match with { $partner }
matches-home-waiting = We have asked { $partner } to be your mentor; they have until { $date } to answer.
matches-home-request-open = You asked for a mentor on { $date }. The coordinators are looking for a good match for you.
matches-home-request-link = Your request
matches-home-nothing = Nothing needs your attention right now.
matches-home-pages-heading = Your pages
matches-home-profile-hint = what you share about yourself, and what stays private
matches-home-request-page = Your request for a mentor
matches-home-request-hint = ask for a mentor, or see or withdraw your request
matches-home-matches-hint = the people you are matched with, check-ins, blocking and reporting
matches-home-settings-hint = emails and your account
