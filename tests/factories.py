"""Factories for the test suite (factory_boy)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Byline, Category, Expert


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("password")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda category: category.name.lower().replace(" ", "-"))


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Expert Number{n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    title = "Analyst of international affairs"
    bio = "Writes about diplomacy and regional security."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, visible since yesterday unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    lead = "During the recent visit the delegation discussed trade and security."
    body = "<p>The first paragraph of the analysis.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
        )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def experts(self, create, extracted, **kwargs):
        if create and extracted:
            for position, expert in enumerate(extracted):
                Byline.objects.create(article=self, expert=expert, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    """A pending comment from a reader with an address of their own."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    body = "A thoughtful remark about the analysis."
    status = "pending"
    ip_address = "192.0.2.0"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64)"
