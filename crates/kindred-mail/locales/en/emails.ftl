# Kindred's emails — English. Every id exists in es/emails.ftl too.
# Text and HTML parts use the same messages; values people typed are
# arguments, never part of a message.

## Shared
hello = Hello,
hi = Hi { $name },
field-match = Match
link-open-match = Open the match
shared = What you share
respond-by = Please respond by
accept-or-decline = Accept or decline

## Lists, durations and dates
# "a, b and c": $init is "a, b". The second form is used before a word
# that starts with an i sound (Spanish "y" becomes "e").
list-and = { $init } and { $last }
list-and-before-i = { $init } and { $last }
duration-seconds = { $count ->
    [one] { $count } second
   *[other] { $count } seconds
}
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
date-utc = { $weekday } { $day } { $month } { $year }, { $time } UTC
date-local = { $weekday } { $day } { $month }, { $time } ({ $zone })
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Verification code (to an address nobody has proven yet: no text the registrant chose)
verification-subject = Your Kindred verification code
verification-intro = Welcome to Kindred. To finish creating your account, enter this code:
verification-code = Verification code
verification-expiry = The code can be used once and expires in { $duration }. If you did not try to create a Kindred account, you can ignore this email: no account is created without the code.

## Someone registered an address that has an account
registered-subject = Someone tried to register with your email address
registered-intro = Someone tried to create a new Kindred account with this email address. You already have an account, so no new account was created.
registered-if-you = If it was you, log in with your existing account instead. If you have forgotten your password, choose a new one at { $route } or ask your programme coordinator for help.
registered-if-not = If it was not you, you can ignore this email: nothing about your account has changed.

## Password reset code
reset-subject = Your Kindred password reset code
reset-intro = Someone asked to reset the password of the Kindred account with this email address. To choose a new password, enter this code:
reset-code = Reset code
reset-expiry = The code can be used once and expires in { $duration }. Resetting signs you out everywhere. If you did not ask for this, you can ignore this email: your password has not changed.

## Invitation: a coordinator's import created an account
invite-subject = You are invited to Kindred
invite-intro = Your programme coordinator has created a Kindred account for you with this email address, { $role ->
    [mentor] as a mentor.
   *[mentee] as someone looking for a mentor.
}
invite-code = Invitation code
invite-accept-link = Accept the invitation
invite-how = On that page, enter this email address, the code and a password you choose; you are then signed in.
invite-expiry = The code can be used once and expires in { $duration }.
invite-consent = Private tags and tags about sensitive experiences that your coordinator added are not used for matching until you say yes: the next page shows them and asks you.
invite-apps = Apps can use { $confirm } with the code, then { $consent }.
invite-not-you = If you did not expect this, you can ignore this email: nobody can sign in to the account without the code.

## To a mentor: a proposal waits for an answer
notice-subject = A new Kindred mentee match is waiting for your answer
notice-intro = Kindred has suggested you as a mentor for { $partner }. Please have a look and accept or decline.
notice-why = Why we suggested this match
notice-declining = Declining is fine and nobody is told why: your mentee will be offered another mentor. If you do not answer in time, the suggestion expires.

## Why a match was suggested (the public parts of its explanation only)
why-base = Both of you meet every hard rule (language, meeting mode, required tags, region, availability).
why-shared = You both list { $tags }; rarer shared experiences count more.
why-no-shared = You have no publicly listed experience in common.
why-overlap = Your weekly availability overlaps by { $hours } h { $minutes } min.
why-same-offset = You are in the same UTC offset.
why-timezones = Your time zones are { $hours } h { $minutes } min apart.
why-waiting = The request has been waiting { $days } days.
why-load = This would be the mentor's mentee number { $number }; each extra mentee costs more.

## Reminder to a mentor
reminder-subject = Reminder: a Kindred match is waiting for your answer
reminder-intro = You have not yet answered the suggestion to mentor { $partner }.
reminder-pause = If now is not a good time, declining is fine. If you can no longer mentor at all, you can pause your availability in your profile.

## A proposal expired
expired-subject = A Kindred match suggestion has expired
expired-intro = The suggestion to mentor { $partner } expired because we did not hear back in time, so they will be offered another mentor. You do not need to do anything.
expired-pause = If you are busy for a while, pause your availability so that we do not suggest new matches until you are ready.
expired-link = Your availability
expired-coordinator-subject = Kindred: match { $id } expired without an answer
expired-coordinator-intro = The mentor did not answer match proposal { $id } within { $duration }. The mentee goes back into matching.

## Introduction
intro-subject = Meet your Kindred match
intro-meet = Meet { $partner }: you are now matched on Kindred.
intro-meet-pronouns = Meet { $partner } ({ $pronouns }): you are now matched on Kindred.
intro-email = Email { $partner }
intro-first-steps = First steps
intro-step-hello = Send { $partner } a short hello by email and suggest two times for a first call.
intro-step-agree = Agree how often you will meet, how you prefer to be contacted, and what is off limits.
intro-step-hopes = Talk about what you each hope to get from the mentorship.
intro-first-meeting = Suggested first meeting
intro-calendar = It is a time you are both available. The attached calendar invitation adds it with your regular check-ins; move it if it does not suit you.
intro-no-slot = We could not find a time you are both available, so please agree on your first meeting by email.
intro-checkins = Check-ins
intro-after = After each meeting we will ask you how it went. Only your programme coordinator sees the answers.
ics-summary = Kindred check-in
ics-description = A regular Kindred check-in with { $partner }. Move it to whenever suits you both.
ics-with = With

## Check-in reminder
checkin-subject = Time for your Kindred check-in
checkin-intro = How are things going with { $partner }? Answering takes a minute and helps your programme coordinator support you both.
checkin-link = Check in

## To coordinators
stalled-subject = Kindred: match { $id } has gone quiet
stalled-intro = Nobody in match { $id } has checked in for { $duration }. It may be worth reaching out to both people.
report-subject = Kindred: a new concern was reported
report-intro = Someone used "Report a concern". Please review it as soon as you can; if it describes immediate danger, follow your programme's safeguarding procedure.
report-field = Report
report-kept = What was reported stays in Kindred: open the report to read it.
report-link = Review the report
support-subject = Kindred: a check-in in match { $id } asks for support
support-intro = A participant's check-in answer suggests they would like support from a coordinator.
support-rating = Rating
digest-subject = Kindred coordinator digest
digest-nothing = Nothing needs your attention today.
digest-something = Here is what needs attention in Kindred.
digest-pending = Match proposals waiting for your review
digest-waiting = Mentees waiting a long time for a match
digest-stalled = Matches that have gone quiet
digest-dead = Background jobs that failed for good (emails not sent)
digest-link = Open the coordinator dashboard

## The summary that replaces coordinator alerts when they flood (counts only)
summary-report-subject = Kindred: { $count } more { $count ->
    [one] report
   *[other] reports
} since the last alert
summary-report-intro = { $count } more { $count ->
    [one] report
   *[other] reports
} arrived since the last alert. To keep your inbox usable they were not sent one by one: Kindred sends at most one alert of this kind every { $duration } while they keep coming.
summary-review = Please review them as soon as you can; if any describes immediate danger, follow your programme's safeguarding procedure.
summary-report-link = Review the reports
summary-support-subject = Kindred: { $count } more { $count ->
    [one] check-in asking
   *[other] check-ins asking
} for support since the last alert
summary-support-intro = { $count } more { $count ->
    [one] check-in asking
   *[other] check-ins asking
} for support arrived since the last alert. To keep your inbox usable they were not sent one by one: Kindred sends at most one alert of this kind every { $duration } while they keep coming.
summary-support-link = Open the check-ins asking for support

## Peer-support circles (shared). Subjects name nobody and no topic.
# "every Monday, 18:00–19:30 (CET)": a time every $weeks weeks in the reader's zone.
weekly-slot = { $weeks ->
    [one] every { $weekday }
   *[other] every { $weeks } weeks on { $weekday }
}, { $start }–{ $end } ({ $zone })
circle-topics = Topics
circle-facilitator = Facilitator
circle-language = Language
circle-mode = How the circle meets
circle-mode-online = Online (video or chat)
circle-mode-in-person = In person, in { $region }
circle-mode-in-person-anywhere = In person
circle-mode-phone = By phone
circle-when = When
circle-link = Open the circle
circle-console-link = Open the circle in the coordinator console
circle-request-link = Ask to join a circle
circle-details = Meeting details from your facilitator

## To an invited member
circle-invite-subject = You are invited to a Kindred peer-support circle
circle-invite-intro = { $facilitator } is facilitating a new peer-support circle on Kindred, and you are invited to join it. A circle is a small group that meets regularly, with a trained facilitator, to share experiences you have in common.
circle-agreement = The group agreement
circle-agreement-intro = By joining, you agree to:
circle-agree-confidential = Keep what others share confidential: what is said in the circle stays in the circle.
circle-agree-respect = Use the names and pronouns people ask for, and treat everyone with respect.
circle-agree-own = Share from your own experience. Nobody in the circle gives advice that replaces help from a doctor, therapist, lawyer or other professional.
circle-agree-concern = If something worries you, tell the facilitator, or use "Report" in the app to tell a coordinator privately.
circle-join-link = Read the agreement and join
circle-invite-apps = Apps can join with { $route }, accepting the group agreement.
circle-invite-choice = Joining is up to you: if you do not answer in time, your place is offered to someone else. Once you join, you can leave the circle at any time.

## To the facilitator of an approved circle
circle-facilitate-subject = A Kindred circle for you to facilitate was approved
circle-facilitate-intro = A coordinator approved a peer-support circle for you to facilitate. We invited { $count ->
    [one] { $count } member.
   *[other] { $count } members.
}
circle-facilitate-start = You can start the circle once at least { $count ->
    [one] { $count } member has
   *[other] { $count } members have
} joined: on the circle's page, add the meeting details (for example the video link or the address) and start it. Everyone then gets the details and a calendar invitation.

## The circle started
circle-started-subject = Your Kindred circle has started
circle-started-intro = Your Kindred peer-support circle has started. Here is what you need for the sessions.
circle-first-session = First session
circle-started-calendar = The attached calendar invitation adds the circle's sessions to your calendar, in your time zone.
circle-started-agreement = Remember the group agreement: what is said in the circle stays in the circle.

## Before each session
circle-reminder-subject = Reminder: your Kindred circle meets soon
circle-reminder-intro = Session { $number } of your peer-support circle is coming up.
circle-reminder-starts = Starts
circle-reminder-skip = If you cannot make it, that is fine; you can let your facilitator know.

## A member missed sessions in a row (circles.missed_sessions_note)
circle-missed-subject = We missed you at your Kindred circle
circle-missed-intro = We noticed you were not at { $count ->
    [one] the last session
   *[other] the last { $count } sessions
} of your circle. That is completely fine: life gets busy, and some weeks are harder than others.
circle-missed-welcome = You are welcome back at any session, with no need to explain.
circle-missed-tell = If something is getting in the way, you can tell { $facilitator }, your facilitator. And if the circle is not right for you, you can leave it at any time from its page; nobody will ask why.
circle-missed-help = If you are going through a hard time, the support resources at the end of this email are there for you.
circle-missed-facilitator-subject = A member of your Kindred circle missed { $count ->
    [one] a session
   *[other] { $count } sessions in a row
}
circle-missed-facilitator-intro = { $name } missed { $count ->
    [one] the last session
   *[other] the last { $count } sessions
} of your circle.
circle-missed-facilitator-tip = A short, kind personal message can help: let them know they were missed and are welcome back, without asking for a reason. If you are worried about them, tell a coordinator.

## An invitation lapsed
circle-expired-subject = Your Kindred circle invitation has expired
circle-expired-intro = Your invitation to join a peer-support circle expired before we heard back, so the place was offered to someone else.
circle-expired-again = That is fine. Whenever you are ready, you can ask to join a circle again.

## A circle check-in asks for support (the note never goes by email)
circle-support-subject-coordinator = Kindred: a circle check-in asks for support
circle-support-subject-facilitator = A member of your Kindred circle asked for support
circle-support-intro-coordinator = { $name } asked for support in a circle check-in.
circle-support-note = The check-in has a note: read it in the app.
circle-support-follow = Please reach out to them as soon as you can; if there is any sign of immediate danger, follow your programme's safeguarding procedure.
circle-support-intro-facilitator = { $name } asked for support in their circle check-in. Coordinators have been told too and will reach out to them.
circle-support-facilitator-tip = You could kindly ask how they are doing before or after the next session. Their check-in answers are seen only by them and the coordinators.

## A circle fell below its minimum size (never who left)
circle-below-subject = Kindred: a circle has fewer members than it needs
circle-below-intro-facilitator = Your circle now has { $count ->
    [one] { $count } member
   *[other] { $count } members
}, fewer than the minimum of { $min }.
circle-below-intro-coordinator = A circle now has { $count ->
    [one] { $count } member
   *[other] { $count } members
}, fewer than the minimum of { $min }.
circle-below-facilitator = You can keep meeting with the members who are there. Coordinators have been told and will be in touch about how to continue.
circle-below-coordinator = Please review the circle and decide with its facilitator how to continue.

## A block inside a circle (the facilitator is not told who blocked whom)
circle-block-subject = Kindred: a block between two members of a circle
circle-block-facilitator = { $people } are both in your circle, and one of them has blocked the other in Kindred.
circle-block-facilitator-tip = Please do not ask either of them about it in the group. Coordinators have been told and will be in touch with you about what happens next.
circle-block-coordinator = { $blocker } blocked { $blocked }; both are members of the same circle.
circle-block-coordinator-tip = They will not be placed in a circle together again. Please decide with the facilitator whether the circle can continue as it is.

## A facilitator's role was revoked while they lead circles
circle-revoked-subject = Kindred: a facilitator who leads circles lost the role
circle-revoked-intro = The facilitator role of { $name } was revoked while they lead { $count ->
    [one] { $count } approved or active circle.
   *[other] { $count } approved or active circles.
}
circle-revoked-tip = Please find another facilitator for these circles, or end them.
circle-revoked-link = See their circles in the coordinator console

## A circle ended (never why)
circle-ended-subject = Your Kindred circle has ended
circle-ended-intro = Your peer-support circle has ended. Thank you for being part of it: for showing up, listening and sharing.
circle-ended-again = If you would like to keep going, you can ask to join another circle at any time.

## The circle's calendar invitation
ics-circle-summary = Kindred circle
ics-circle-description = A session of your Kindred peer-support circle: { $url }
