## Accept an invitation (an account a coordinator's import created)

invitation-title = Accept your invitation
invitation-intro = Your programme coordinator created a Kindred account for you. Enter your email address, the invitation code from the email and a password you choose. You will be signed in straight away.
invitation-email-hint = The address the invitation was sent to.
invitation-field-code = Invitation code
invitation-code-hint = The 6-digit code in the invitation email.
invitation-submit = Accept and sign in
invitation-expired = Has the code expired or been used?
invitation-new-code-link = Ask for a new code
invitation-err-code = The invitation code is wrong, expired or already used.
invitation-notice-accepted = Welcome to Kindred. Your password is set and you are signed in.

## Imported tags waiting for consent

pending-private = private
pending-public = public
pending-sensitive = sensitive
pending-private-term = Private:
pending-private-means = used only to find you a good match. Only you and the programme's coordinators can see it; the people you are matched with never do.
pending-public-term = Public:
pending-public-means = once you say yes, the people you are matched with can see it too, for example on your profile card.
pending-sensitive-term = Sensitive:
pending-sensitive-means = about things such as sexual orientation, gender identity, health, religion or ethnic origin. We keep these only with your consent.
pending-heading = Waiting for your consent
pending-profile-intro = Your coordinator added these experiences for you. They are not used for matching until you say yes, and they are removed if you say no:
pending-profile-link = Answer about these experiences
pending-waiting = waiting for your consent

consent-title = Your private and sensitive experiences
consent-intro = Your coordinator added these experiences to your profile when they created your account. They are private or sensitive, so we ask you first.
consent-profile-mentee = On your mentee profile
consent-profile-mentor = On your mentor profile
consent-until = Until you answer, they are not used for matching and nobody else sees them.
consent-legend = May Kindred use these experiences to find you a match?
consent-yes = Yes, use them for matching
consent-no = No, remove them from my profile
consent-submit = Save my answer
consent-later = Decide later
consent-later-hint = (your profile will remind you).
invitation-notice-consent-given = Thank you. These experiences now count when we look for a match.
invitation-notice-consent-declined = Done. These experiences have been removed from your profile.

## The home page's reminder

pending-home-notice = Some experiences your coordinator added are waiting for your consent.
pending-home-link = Review them
