# Profile editor and "ask for a mentor" pages (en). Every id here exists in es/profile.ftl too.

## Profile page
profile-title-mentee = Your mentee profile
profile-title-mentor = Your mentor profile
profile-switch-label = Which profile
profile-switch-mentee = Mentee profile
profile-switch-mentor = Mentor profile
profile-intro = Coordinators use your profile to find a good match. Everything is optional except a time zone, one language and one way to meet (and, for mentors, how many mentees you can support).
profile-ask-link = Ask for a mentor
profile-submit = Save profile
profile-notice-saved = Your profile has been saved.
profile-notice-profile-first = Before you ask for a mentor, fill in your mentee profile and save it.
profile-none-title = Your profile
profile-none-body = Profiles are for mentees and mentors. Your account has neither role, so there is no profile to fill in.

## About you
profile-about-heading = About you
profile-field-bio = About you
profile-field-bio-hint-mentee = What you would like a mentor to know about you. Coordinators read it to find you a good match.
profile-field-bio-hint-mentor = Mentees matched with you read this on your profile card.
profile-field-goals = What you hope to get from mentoring
profile-field-goals-hint = For example: feel confident coming out at work.
profile-field-capacity = How many mentees can you support at once?
profile-field-capacity-hint = A number from 1 to 20.
profile-field-accepting = I am open to new mentees
profile-field-accepting-hint = Untick this to pause new matches. The mentees you already support stay with you.

## Experiences (tags)
profile-tags-heading = Your experiences
profile-tags-intro = Tick the experiences you share, and choose for each one whether it is public or private. All of them are optional.
profile-public-term = Public:
profile-public-means = the people you are matched with can see it, for example on your profile card and in why you were matched. Coordinators see it too.
profile-private-term = Private:
profile-private-means = used only to find you a good match. Only you and the programme's coordinators can see it. Your mentor or mentee never sees it, and it is never named in emails or in why you were matched.
profile-sensitive-means = Experiences marked “sensitive” — such as sexual orientation, gender identity, health, religion or ethnic origin — are specially protected: we keep them only with your consent, asked for below. They start as private.
profile-category-identity = Who you are
profile-category-experience = What you have been through
profile-category-support = What you would like support with
profile-category-retired = No longer offered (untick to remove)
profile-sensitive-mark = (sensitive)
profile-visibility-legend = Who can see “{ $tag }”
profile-choice-public = Public: my match can see it
profile-choice-private = Private: only for matching
profile-consent-heading = Consent for sensitive experiences
profile-consent-label = I agree that Kindred keeps the sensitive experiences I ticked and uses them to find me a match.
profile-consent-label-short = Consent for sensitive experiences
profile-consent-hint = Needed only if you tick an experience marked “sensitive”. You can untick those experiences, or erase your account, at any time.

## Languages and time zone
profile-languages-heading = Languages and time zone
profile-languages-legend = Languages you can talk in
profile-languages-hint = Tick every language you can hold a conversation in: at least one.
profile-field-languages-other = Other languages
profile-field-languages-other-hint = Language codes separated by commas, for example eu, pt-BR, or lsf for French Sign Language.
profile-lang-ssp = Spanish Sign Language (LSE)
profile-lang-bfi = British Sign Language (BSL)
profile-lang-ase = American Sign Language (ASL)
profile-field-timezone = Time zone
profile-field-timezone-hint = Start typing a city and choose it from the list, for example Europe/Madrid or America/Mexico_City.

## Availability
profile-availability-heading = When you can meet
profile-availability-hint = Each week, in your time zone, in steps of 15 minutes. Leave a day empty if you cannot meet then. To be free until midnight, end at 00:00.
profile-availability-more = Need more times on one day? Save, and an empty row appears for that day (up to 4 a day).
profile-day-mon = Monday
profile-day-tue = Tuesday
profile-day-wed = Wednesday
profile-day-thu = Thursday
profile-day-fri = Friday
profile-day-sat = Saturday
profile-day-sun = Sunday
profile-window-from = { $number ->
    [1] From
   *[other] From (time { $number })
}
profile-window-until = { $number ->
    [1] Until
   *[other] Until (time { $number })
}
profile-window-label = { $name }, time { $number }

## Meeting
profile-meeting-heading = How you can meet
profile-modes-legend = Ways you can meet
profile-mode-online = Online (video or chat)
profile-mode-in_person = In person
profile-mode-phone = By phone
profile-field-region = Region
profile-field-region-hint = A city or area, for example Madrid. Needed if you can meet in person. Never your address.

## Field errors
profile-err-too-many-tags = Choose at most { $max }.
profile-err-too-many-languages = Choose at most { $max } languages.
profile-err-too-many-windows = Enter at most { $max } times a week.
profile-err-unknown-tag = This experience is not in the list. Choose another one.
profile-err-duplicate = This is chosen twice. Choose it once.
profile-err-both-visibilities = Choose public or private, not both.
profile-err-retired = This experience is no longer offered and cannot be added.
profile-err-language-required = Choose at least one language.
profile-err-language-code = Enter language codes like en, es-MX or lsf.
profile-err-timezone = Choose a time zone from the list, like Europe/Madrid.
profile-err-time = Enter a time like 18:00.
profile-err-time-step = Use steps of { $number } minutes, like 18:00 or 18:15.
profile-err-time-start-midnight = Start before midnight.
profile-err-time-order = End after the start time.
profile-err-time-overlap = This overlaps another time on the same day.
profile-err-mode-required = Choose at least one way to meet.
profile-err-region-in-person = Enter a region to meet in person, or untick “In person”.
profile-err-capacity = Enter a whole number from 1 to 20.
profile-err-consent = To keep the sensitive experiences you ticked, tick this box, or untick those experiences.

## Ask for a mentor
request-title = Ask for a mentor
request-current-title = Your request for a mentor
request-intro = Tell the coordinators what matters to you in a mentor. They look for someone who fits, and the mentor then decides whether to accept.
request-tags-legend = Experiences your mentor must share
request-tags-hint = At most 10. A mentor counts only if they share the experience publicly, so every one you tick makes a match less likely.
request-field-regions = Regions to avoid
request-field-regions-hint = One per line, for example your home town, if you would rather not be matched with someone from there.
request-field-note = A note for the coordinators
request-field-note-hint = Anything else that would help them. Only coordinators read it.
request-submit = Ask for a mentor
request-not-mentee = Asking for a mentor is for mentees. Your account does not have the mentee role.
request-state-label = State
request-state-open = Waiting for a match
request-state-matched = Matched with a mentor
request-state-withdrawn = Withdrawn
request-state-closed = Closed
request-asked-label = Asked on
request-tags-label = Experiences your mentor must share
request-regions-label = Regions to avoid
request-note-label = Your note
request-none = None
request-open-body = Coordinators are looking for a mentor who fits. We will email you when a mentor accepts.
request-matched-body = You have a mentor. See your matches to get in touch.
request-matches-link = Your matches
request-withdraw-hint = If you no longer want a mentor, you can withdraw your request. You can ask again at any time.
request-withdraw = Withdraw my request
request-notice-created = Your request has been sent.
request-notice-withdrawn = Your request has been withdrawn. You can ask again at any time.
request-notice-cannot-withdraw = Your request could not be withdrawn: a mentor has already been asked, or you are matched. See your matches.
request-err-too-many-regions = Enter at most { $max } regions.
request-err-region-length = Use 1 to 100 characters for each region.

## The default experiences (a coordinator's own label is shown as written)
profile-tag-lesbian = Lesbian
profile-tag-gay = Gay
profile-tag-bisexual = Bisexual
profile-tag-pansexual = Pansexual
profile-tag-asexual = Asexual / aromantic
profile-tag-queer = Queer
profile-tag-transgender = Transgender
profile-tag-non-binary = Non-binary
profile-tag-intersex = Intersex
profile-tag-questioning = Questioning
profile-tag-black = Black
profile-tag-latinx = Latinx / Hispanic
profile-tag-asian = Asian
profile-tag-indigenous = Indigenous
profile-tag-roma = Roma / Traveller
profile-tag-middle-eastern-north-african = Middle Eastern / North African
profile-tag-mixed-heritage = Mixed heritage
profile-tag-physical-disability = Physical disability
profile-tag-neurodivergent = Neurodivergent
profile-tag-autistic = Autistic
profile-tag-adhd = ADHD
profile-tag-deaf-hard-of-hearing = Deaf / hard of hearing
profile-tag-blind-low-vision = Blind / low vision
profile-tag-chronic-illness = Chronic illness
profile-tag-mental-health-condition = Mental health condition
profile-tag-muslim = Muslim
profile-tag-jewish = Jewish
profile-tag-christian = Christian
profile-tag-minority-faith = Other / minority faith
profile-tag-ex-religious = Ex-religious
profile-tag-migrant = Migrant
profile-tag-refugee-asylum-seeker = Refugee / asylum seeker
profile-tag-first-generation-immigrant = First-generation immigrant
profile-tag-young-adult = Young adult (18–25)
profile-tag-older-adult = Older adult (55+)
profile-tag-first-generation-student = First-generation student
profile-tag-working-class = Working-class background
profile-tag-coming-out = Coming out
profile-tag-coming-out-at-work = Coming out at work
profile-tag-social-transition = Social transition
profile-tag-medical-transition = Medical transition
profile-tag-legal-transition = Legal transition
profile-tag-homophobia-transphobia = Homophobia, biphobia or transphobia
profile-tag-racism = Racism
profile-tag-domestic-abuse-survivor = Domestic abuse survivor
profile-tag-hate-crime-survivor = Hate crime survivor
profile-tag-living-with-hiv = Living with HIV
profile-tag-religious-trauma = Religious trauma
profile-tag-navigating-asylum = Navigating the asylum process
profile-tag-workplace-discrimination = Workplace discrimination
profile-tag-social-exclusion = Social exclusion
profile-tag-self-stigma = Self-stigma / internalised shame
profile-tag-family-rejection = Family rejection
profile-tag-bullying = Bullying
profile-tag-isolation-loneliness = Isolation / loneliness
profile-tag-body-image = Body image
profile-tag-job-search = Job search
profile-tag-career-growth = Career growth
profile-tag-education = Education and studies
profile-tag-housing = Housing
profile-tag-healthcare-access = Accessing healthcare
profile-tag-mental-health-coping = Mental health coping strategies
profile-tag-legal-rights = Knowing your legal rights
profile-tag-name-gender-marker-change = Name / gender marker change
profile-tag-building-community = Building community
profile-tag-relationships = Relationships
profile-tag-finances = Finances
profile-tag-confidence = Confidence
