from django.http import HttpResponse


def ceiling(request):
    """The same answer as Tribune's ``/bench/ceiling`` (edge/views.py)."""
    return HttpResponse("ok", content_type="text/plain")
