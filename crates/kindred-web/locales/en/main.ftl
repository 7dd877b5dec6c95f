# Kindred web app — English. Every id here exists in es/main.ftl too.

## Layout
site-name = Kindred
title-error-prefix = Error:
skip-link = Skip to main content
nav-label = Account
nav-home = Your home
nav-login = Log in
nav-signup = Sign up
nav-logout = Log out
nav-change-password = Change password
nav-profile = Your profile
nav-matches = Your matches
nav-settings = Settings
lang-switch-label = Language
footer-heading = Support resources
footer-not-crisis = Kindred is peer support, not crisis help.
footer-emergency = If you or someone else is in immediate danger, call your local emergency number now (112 in the EU, 911 in the US and Canada, 999 in the UK).
optional = (optional)
error-prefix = Error:
error-summary-title = There is a problem

## Landing page
landing-title = Peer mentorship with people who share your experience
landing-intro = Kindred connects people who face discrimination, stigma or exclusion — LGBTQ+ people above all — with peer mentors who have lived through something similar.
landing-how-heading = How it works
landing-how-mentees = Mentees describe what they are going through and ask for a mentor.
landing-how-mentors = Mentors say what they can offer and how many people they can support, and accept the matches that fit.
landing-how-privacy = Your contact details stay hidden until a match is active, private experiences are used for matching but never shown, and you can block or report anyone.
landing-not-crisis-heading = Peer support, not crisis help
landing-not-crisis = Mentors are volunteers who share your experience, not counsellors or emergency services. If you need help now, please contact the services listed at the bottom of this page.
landing-see-resources = See the support resources
landing-signup = Sign up
landing-login = Log in
landing-have-code = Already signed up? Enter the code from your email.

## Fields
field-email = Email address
field-password = Password
field-new-password = New password
field-current-password = Current password
field-new-password-hint = At least 12 characters. A few unrelated words are easy to remember and hard to guess.
field-display-name = Name to show
field-display-name-hint = The name your mentor or mentee and the coordinators will see. It does not have to be your legal name.
field-pronouns = Pronouns
field-pronouns-hint = For example: she/her, he/him, they/them.
field-role = What would you like to do?
role-choice-mentee = I want to find a mentor
role-choice-mentor = I want to be a mentor
field-code = Code
field-code-hint = The 6-digit code from the email we sent you.
field-reset-code-hint = The 6-digit code from the password reset email.

## Sign up
signup-title = Sign up
signup-intro = Create your account. We will email you a code to confirm your address.
signup-submit = Sign up
signup-have-account = Already have an account?
sent-title = Check your email
sent-body = If the address can be used, we have sent a message to it. It holds a code that confirms your address; it works for a limited time.
sent-spam = If nothing arrives within a few minutes, look in your spam folder.
sent-next = Enter the code

## Verify
verify-title = Confirm your email address
verify-intro = Enter the address you signed up with and the code from the email.
verify-submit = Confirm and sign in
verify-no-code = No code? Sign up again to get a new one.

## Log in
login-title = Log in
login-submit = Log in
login-forgot = Forgotten your password?
login-no-account = No account yet?
login-failed = The email address or password is not right, or the address is not confirmed yet.

## Passwords
forgot-title = Reset your password
forgot-intro = Enter the address of your account. If it has an account, we will email it a code to choose a new password.
forgot-submit = Send the code
forgot-have-code = Already have a code?
reset-title = Choose a new password
reset-intro = Enter your address, the code from the email and your new password. You will be signed out everywhere.
reset-submit = Set the new password
password-title = Change your password
password-intro = Your other sessions will be signed out; this one stays signed in.
password-must-change = You signed in with a one-time password. Choose your own password to continue.
password-submit = Change password

## Home
home-title = Your home
home-welcome = Welcome, { $name }
home-pronouns = Pronouns: { $pronouns }
home-roles-heading = Your roles
role-mentee = Mentee: you are looking for a mentor
role-mentor = Mentor: you support mentees
role-coordinator = Coordinator: you run the programme
home-next-heading = What comes next
home-next-profile = Describe yourself in a profile (coming soon to the web app).
home-next-request = Ask for a mentor, or say how many mentees you can take (coming soon to the web app).
home-help = Need to talk to someone now?

## Notices after a redirect
notice-logged-out = You have logged out.
notice-session-ended = Your session has ended. Please log in again.
notice-password-reset = Your password has been changed. Log in with the new password.
notice-password-changed = Your password has been changed. Your other sessions were signed out.
notice-choose-password = Your address is confirmed. Because the address was signed up more than once, no password was kept: choose one with "Forgotten your password?" before you next log in.
notice-reset-sent = If the address has an account, we have emailed it a code. It works for a limited time.
notice-verified = Your address is confirmed and you are signed in.

## Field errors
err-required = Enter a value.
err-too-long = Use at most { $max } characters.
err-too-short = Use at least { $min } characters.
err-email = Enter an email address like name@example.org.
err-whitespace = Use more than spaces.
err-control = Remove the control characters.
err-invisible = Remove the invisible or text-direction characters.
err-choice = Choose one of the options.
err-current-password = This is not your current password.
err-code = The code is wrong, expired or already used.
err-invalid = Check this value.

## Error pages
error-csrf-title = This form has expired
error-csrf-body = The form could not be checked, so nothing was changed. Go back, reload the page and try again.
error-bad-form-title = This form could not be read
error-bad-form-body = Nothing was changed. Go back, reload the page and try again.
error-not-found-title = Page not found
error-not-found-body = There is no page at this address.
error-rate-limited-title = Too many attempts
error-rate-limited-body = Please wait { $seconds } seconds and try again.
error-unavailable-title = Kindred is busy
error-unavailable-body = Please try again in a moment.
error-internal-title = Something went wrong
error-internal-body = The problem was on our side. Please try again later.
error-back-home = Go to the start page
