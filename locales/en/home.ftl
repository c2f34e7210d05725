# The thanks form (a modal): /thanks with no text, the shortcuts and the Home tab's button.
form-title = Say thanks
form-submit = Send thanks
form-close = Cancel
form-recipients = Who would you like to thank?
form-message = What did they do?
form-message-hint = Be specific: "your review caught the bug before release" means more than "thanks". End with #value to name a company value.
form-points = Points (optional)
form-points-hint = At most { $max } per person. You have { $remaining } left this month (resets { $resets }).
form-values = Company values
form-channel = Post in
form-link-note = Thanking for this message: { $link }
form-err-value = Pick values from the list.
form-err-channel = Pick the channel to post the thanks in.
form-failed = I could not open the thanks form in time. Please try again.
thanks-post-link = For { $link }
thanks-post-link-label = this message
