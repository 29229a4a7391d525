from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The address contains a NUL character."


class RejectNullCharactersMiddleware:
    """Answer 400 to a URL or query string holding a NUL character.

    PostgreSQL cannot store or compare text with NUL in it, so such a value reaching a
    query (an id in the path, a filter in the query string) would be a server error.
    Form fields already refuse NUL in POSTed text; this covers everything else, once.
    The one exception is the search box (``q``), which must answer any input.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for value in request.GET.getlist("q")):
            # Search words are free text that never reaches the database as typed, and a
            # search must never fail: the NULs are dropped instead.
            query = request.GET.copy()
            query.setlist("q", [value.replace("\x00", "") for value in query.getlist("q")])
            query._mutable = False
            request.GET = query
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain")
        return self.get_response(request)
