from django.contrib import admin
from django.urls import path

from stock.views import ceiling

urlpatterns = [
    path("admin/", admin.site.urls),
    path("bench/ceiling", ceiling),
]
