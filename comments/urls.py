from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comment/", views.post, name="post"),
    path("articles/<slug:slug>/comment/token/", views.form_token, name="form-token"),
]
