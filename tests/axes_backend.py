"""The test settings' first authentication backend (emulation/test_settings.py)."""

from axes.backends import AxesStandaloneBackend


class RequestOptionalAxesBackend(AxesStandaloneBackend):
    """axes' backend, except that authenticate() without a request passes through.

    The test client's login() calls authenticate() with credentials only, and axes
    refuses that (it cannot tell who asked). A login over HTTP always has a request,
    so it is throttled exactly as in production, where axes' own backend stays."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
