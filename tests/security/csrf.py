"""A CSRF failure view for the sweep: a request refused by the CSRF check answers
419, a status no page of the product uses, so a sweep whose token did not pass can
never be read as the 403 of a permission check."""

from django.http import HttpResponse

CSRF_REFUSED = 419


def failure(request, reason=""):
    return HttpResponse(f"CSRF refused: {reason}", status=CSRF_REFUSED)
