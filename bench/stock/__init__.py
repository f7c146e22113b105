"""A Django project as ``django-admin startproject`` makes it (Django 5.2), with one trivial view.

``make bench`` serves it with gunicorn beside Tribune, with as many workers and the
same load, so that Tribune's ceiling can be compared with what stock Django does.
"""
