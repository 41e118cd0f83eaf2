"""Response headers that every page of the app carries."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Pages hold data about people in hiding: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response
